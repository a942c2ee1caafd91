import { describe, expect, it } from 'vitest'
import { connectWebSocket, harnessFromLocation, type WebSocketLike } from './ws-client'

/** A socket the test drives by hand: what the client sends is recorded, what it receives is pushed. */
class FakeSocket implements WebSocketLike {
  readyState = 0
  readonly sent: unknown[] = []
  private readonly handlers: { [type: string]: ((ev: never) => void)[] } = {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open')
    this.sent.push(JSON.parse(data))
  }
  close(): void {
    this.closeWith(1000, '')
  }
  addEventListener(type: string, listener: (ev: never) => void): void {
    ;(this.handlers[type] ??= []).push(listener)
  }
  private emit(type: string, ev: unknown): void {
    for (const listener of this.handlers[type] ?? []) listener(ev as never)
  }
  open(): void {
    this.readyState = 1
    this.emit('open', undefined)
  }
  receive(data: unknown): void {
    this.emit('message', { data: typeof data === 'string' ? data : JSON.stringify(data) })
  }
  closeWith(code: number, reason: string): void {
    this.readyState = 3
    this.emit('close', { code, reason })
  }
}

async function connected(): Promise<{ socket: FakeSocket; transport: Awaited<ReturnType<typeof connectWebSocket>> }> {
  const socket = new FakeSocket()
  const pending = connectWebSocket('ws://127.0.0.1:1/porthole', 'secret-token', () => socket)
  socket.open()
  expect(socket.sent).toEqual([{ type: 'hello', token: 'secret-token' }])
  socket.receive({ type: 'ready' })
  return { socket, transport: await pending }
}

describe('harnessFromLocation', () => {
  it('finds the token in the fragment and the socket on the same origin', () => {
    expect(harnessFromLocation({ hash: '#token=abc123', host: '127.0.0.1:5173', protocol: 'http:' })).toEqual({
      url: 'ws://127.0.0.1:5173/porthole',
      token: 'abc123',
    })
    expect(harnessFromLocation({ hash: '#x=1&token=t', host: '127.0.0.1:1', protocol: 'https:' })).toEqual({
      url: 'wss://127.0.0.1:1/porthole',
      token: 't',
    })
  })

  it('returns null without a token', () => {
    for (const hash of ['', '#', '#token=', '#tokenx=abc']) {
      expect(harnessFromLocation({ hash, host: '127.0.0.1:1', protocol: 'http:' }), hash).toBeNull()
    }
  })
})

describe('connectWebSocket', () => {
  it('settles calls by id, in whatever order the replies come', async () => {
    const { socket, transport } = await connected()
    const first = transport.invoke('app.info', {})
    const second = transport.invoke('settings.get', {})
    expect(socket.sent.slice(1)).toEqual([
      { type: 'call', id: 1, name: 'app.info', payload: {} },
      { type: 'call', id: 2, name: 'settings.get', payload: {} },
    ])
    socket.receive({ type: 'result', id: 2, ok: false, error: { code: 'NOT_FOUND', message: 'gone', retryable: false } })
    socket.receive({ type: 'result', id: 1, ok: true, value: { name: 'Porthole' } })
    expect(await first).toEqual({ ok: true, value: { name: 'Porthole' } })
    expect(await second).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'gone', retryable: false } })
  })

  it('refuses a payload JSON cannot carry without sending anything or throwing', async () => {
    const { socket, transport } = await connected()
    const cyclic: { self?: unknown } = {}
    cyclic.self = cyclic
    for (const payload of [10n, cyclic]) {
      expect(await transport.invoke('settings.set', payload)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    }
    expect(socket.sent).toHaveLength(1)
    // The next call still gets the next id and goes out.
    void transport.invoke('app.info', undefined)
    expect(socket.sent[1]).toEqual({ type: 'call', id: 3, name: 'app.info' })
  })

  it('ignores frames that are not JSON, do not match the wire schema, or answer no pending call', async () => {
    const { socket, transport } = await connected()
    const call = transport.invoke('app.info', {})
    socket.receive('not json')
    socket.receive({ type: 'result', id: 1, ok: false, error: { code: 'NO_SUCH_CODE', message: 'x', retryable: false } })
    socket.receive({ type: 'result', id: '1', ok: true, value: 1 })
    socket.receive({ type: 'result', id: 99, ok: true, value: 'stray' })
    socket.receive({ type: 'result', id: 1, ok: true, value: 'the answer' })
    expect(await call).toEqual({ ok: true, value: 'the answer' })
  })

  it('delivers events to listeners until they unsubscribe', async () => {
    const { socket, transport } = await connected()
    const seen: unknown[] = []
    const stop = transport.listen((name, payload) => seen.push([name, payload]))
    socket.receive({ type: 'event', name: 'settings.changed', payload: { theme: 'dark' } })
    stop()
    socket.receive({ type: 'event', name: 'settings.changed', payload: { theme: 'light' } })
    expect(seen).toEqual([['settings.changed', { theme: 'dark' }]])
  })

  it('settles every pending call as lost when the socket closes, and later calls too', async () => {
    const { socket, transport } = await connected()
    const pending = [transport.invoke('app.info', {}), transport.invoke('app.info', {})]
    socket.closeWith(1006, '')
    for (const result of await Promise.all(pending)) {
      expect(result).toMatchObject({ ok: false, error: { code: 'PROVIDER_UNAVAILABLE', retryable: true } })
    }
    expect(await transport.invoke('app.info', {})).toMatchObject({ ok: false, error: { code: 'PROVIDER_UNAVAILABLE' } })
    // A late reply for a settled call changes nothing and throws nothing.
    socket.receive({ type: 'result', id: 1, ok: true, value: 'late' })
  })

  it('rejects with the close code when the host refuses before ready', async () => {
    const socket = new FakeSocket()
    const pending = connectWebSocket('ws://127.0.0.1:1/porthole', 'wrong', () => socket)
    socket.open()
    socket.closeWith(4001, 'bad token')
    await expect(pending).rejects.toThrow('4001 bad token')
  })
})
