// The server side of the ipc benchmark, in its own process as main is in the app: the
// host's WebSocket transport and a bare `ws` echo server, both on 127.0.0.1.
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { WebSocketServer } from 'ws'
import { createHost } from '../../main/host'
import { logFromSink } from '../../main/services/log/log'
import { attachWebSocketTransport, newToken } from '../../main/transport/websocket'

/** What the parent needs to connect; sent over the fork channel. */
export interface IpcServers {
  transportUrl: string
  origin: string
  token: string
  echoUrl: string
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
  })
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-'))
  const log = logFromSink(() => {})
  let stored: unknown
  const host = createHost({
    dataDir,
    version: '0.0.0-bench',
    platform: process.platform,
    settingsStore: { read: () => stored, write: (v) => (stored = v) },
    log,
  })
  const hostServer = http.createServer((_req, res) => res.writeHead(404).end())
  const token = newToken()
  let origin = ''
  attachWebSocketTransport({ server: hostServer, path: '/porthole', token, origin: () => origin, dispatch: host.dispatch, events: host.events, log })
  const hostPort = await listen(hostServer)
  origin = `http://127.0.0.1:${hostPort}`

  const echoServer = http.createServer((_req, res) => res.writeHead(404).end())
  const echo = new WebSocketServer({ server: echoServer })
  echo.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })))
  const echoPort = await listen(echoServer)

  const ready: IpcServers = { transportUrl: `ws://127.0.0.1:${hostPort}/porthole`, origin, token, echoUrl: `ws://127.0.0.1:${echoPort}/` }
  process.send?.(ready)
  // The parent ends this process when done; losing the parent ends it too.
  process.on('disconnect', () => {
    fs.rmSync(dataDir, { recursive: true, force: true })
    process.exit(0)
  })
}

void main()
