// A real host behind the real WebSocket transport on 127.0.0.1, and the browser client over a
// `ws` socket that keeps every frame it received: what the renderer would see, byte for byte.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import WebSocket from 'ws'
import { createClient, type PortholeApi } from '../../contract/client'
import { connectWebSocket, type WebSocketLike } from '../../contract/ws-client'
import { createHost, type Host, type HostOptions } from '../../main/host'
import { attachWebSocketTransport, newToken } from '../../main/transport/websocket'

export interface WsHost {
  host: Host
  api: PortholeApi
  /** Every frame main sent to the "renderer", raw. */
  frames: string[]
  /** Every event the client received, in order. */
  events: { name: string; payload: unknown }[]
  /** Closes the socket, the transport and the server, then disposes of the host. */
  close(): Promise<void>
}

/** Starts a host with these options and connects a client to it. */
export async function startWsHost(options: HostOptions): Promise<WsHost> {
  const host = createHost(options)
  const server = http.createServer((_req, res) => res.writeHead(404).end())
  const token = newToken()
  let origin = ''
  const transport = attachWebSocketTransport({
    server,
    path: '/porthole',
    token,
    origin: () => origin,
    dispatch: host.dispatch,
    events: host.events,
    log: options.log,
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  origin = `http://127.0.0.1:${port}`

  const frames: string[] = []
  let socket: WebSocket | undefined
  const client = await connectWebSocket(`ws://127.0.0.1:${port}/porthole`, token, (url): WebSocketLike => {
    socket = new WebSocket(url, { origin })
    socket.on('message', (data) => frames.push(String(data)))
    socket.on('error', () => {})
    return socket
  })
  const events: { name: string; payload: unknown }[] = []
  client.listen((name, payload) => events.push({ name, payload }))
  return {
    host,
    api: createClient(client),
    frames,
    events,
    async close() {
      socket?.close()
      transport.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await host.dispose()
    },
  }
}
