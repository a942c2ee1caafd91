import type { ClientTransport } from './client'
import type { CallResult } from './result'
import { ServerFrame } from './wire'

/** Where the browser harness finds its host: `#token=…` in the page URL; the socket is the page's own origin. */
export function harnessFromLocation(location: { hash: string; host: string; protocol: string }): { url: string; token: string } | null {
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token')
  if (!token) return null
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return { url: `${scheme}//${location.host}/porthole`, token }
}

const lost: CallResult<never> = {
  ok: false,
  error: { code: 'PROVIDER_UNAVAILABLE', message: 'The connection to the Porthole host was lost.', retryable: true },
}

const unserializable: CallResult<never> = {
  ok: false,
  error: { code: 'INVALID_INPUT', message: 'The request cannot be sent as JSON.', retryable: false },
}

/** The part of the WebSocket API the client uses: the browser's, or the `ws` package's in Node tests. */
export interface WebSocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number): void
  addEventListener(type: 'open', listener: () => void): void
  addEventListener(type: 'close', listener: (ev: { code: number; reason: string }) => void): void
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void
}
const OPEN = 1

/** The WebSocket transport's client side, for a browser (the dev:web harness and end-to-end tests). */
export function connectWebSocket(
  url: string,
  token: string,
  open: (url: string) => WebSocketLike = (u) => new (globalThis as unknown as { WebSocket: new (u: string) => WebSocketLike }).WebSocket(u),
): Promise<ClientTransport> {
  return new Promise((resolve, reject) => {
    const socket = open(url)
    const pending = new Map<number, (result: CallResult<unknown>) => void>()
    const listeners = new Set<(name: string, payload: unknown) => void>()
    let nextId = 1
    let ready = false

    socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'hello', token })))
    socket.addEventListener('close', (ev) => {
      for (const settle of pending.values()) settle(lost)
      pending.clear()
      if (!ready) reject(new Error(`Porthole host refused the connection (${ev.code} ${ev.reason})`))
    })
    socket.addEventListener('message', (ev) => {
      let raw: unknown
      try {
        raw = JSON.parse(String(ev.data))
      } catch {
        return
      }
      const parsed = ServerFrame.safeParse(raw)
      if (!parsed.success) return
      const frame = parsed.data
      if (frame.type === 'ready') {
        ready = true
        resolve(transport)
      } else if (frame.type === 'result') {
        const settle = pending.get(frame.id)
        pending.delete(frame.id)
        settle?.(frame.ok ? { ok: true, value: frame.value } : { ok: false, error: frame.error })
      } else {
        for (const listener of listeners) listener(frame.name, frame.payload)
      }
    })

    const transport: ClientTransport = {
      invoke(name, payload) {
        if (socket.readyState !== OPEN) return Promise.resolve(lost)
        const id = nextId++
        let frame: string
        try {
          frame = JSON.stringify({ type: 'call', id, name, payload })
        } catch {
          // A BigInt or a cycle: refuse here, since a call resolves to a result and never throws.
          return Promise.resolve(unserializable)
        }
        return new Promise((settle) => {
          pending.set(id, settle)
          socket.send(frame)
        })
      },
      listen(listener) {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
    }
  })
}
