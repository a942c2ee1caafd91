import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { IPC_CALL, IPC_EVENT } from '../../contract/ipc-channels'
import type { CallResult } from '../../contract/result'
import type { Dispatch } from '../../contract/serve'
import { DEFAULT_SETTINGS } from '../../contract/settings'
import { createEventBus } from '../event-bus'
import { createHost } from '../host'
import { memoryLog } from '../services/log/log'
import type { SettingsStore } from '../services/settings/settings-service'
import { APP_ENTRY_URL, APP_ORIGIN } from './app-origin'
import { bindIpcTransport, type IpcFrame, type IpcInvokeEvent, type IpcMainLike } from './ipc-transport'

class FakeContents extends EventEmitter {
  destroyed = false
  readonly sent: unknown[][] = []
  readonly mainFrame: IpcFrame & { url: string }
  constructor(url: string) {
    super()
    this.mainFrame = { url, parent: null }
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('send on destroyed contents')
    this.sent.push([channel, ...args])
  }
  destroy(): void {
    this.destroyed = true
    this.emit('destroyed')
  }
}

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcInvokeEvent, ...args: unknown[]) => unknown>()
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => unknown): void {
    // Electron throws on a second handler for one channel; so does the fake.
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
    this.handlers.set(channel, listener)
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }
  async invoke(event: IpcInvokeEvent, ...args: unknown[]): Promise<CallResult<unknown>> {
    const handler = this.handlers.get(IPC_CALL)
    if (!handler) throw new Error('no handler')
    return (await handler(event, ...args)) as CallResult<unknown>
  }
}

function setup(origin = APP_ORIGIN, pageUrl = APP_ENTRY_URL) {
  const log = memoryLog()
  const ipcMain = new FakeIpcMain()
  const events = createEventBus(log)
  const dispatch = vi.fn<Dispatch>(async () => ({ ok: true, value: 'served' }))
  const app = new FakeContents(pageUrl)
  const windows = [app]
  const transport = bindIpcTransport({ ipcMain, dispatch, events, appContents: () => windows, origin, log })
  const fromTop = (contents: FakeContents, url = contents.mainFrame.url): IpcInvokeEvent => ({
    sender: contents,
    senderFrame: { url, parent: null },
  })
  return { log, ipcMain, events, dispatch, app, windows, transport, fromTop }
}

describe('IPC transport: who may call', () => {
  it('serves a call from the top frame of an app window, over transport "ipc"', async () => {
    const { ipcMain, dispatch, app, fromTop } = setup()
    const result = await ipcMain.invoke(fromTop(app), 'app.info', {})
    expect(result).toEqual({ ok: true, value: 'served' })
    expect(dispatch).toHaveBeenCalledTimes(1)
    const [name, payload, ctx] = dispatch.mock.calls[0]!
    expect([name, payload, ctx.transport, ctx.signal.aborted]).toEqual(['app.info', {}, 'ipc', false])
  })

  it.each([
    ['a foreign origin', 'https://evil.example/index.html'],
    ['a look-alike host', 'app://porthole.evil/index.html'],
    ['the right host on another scheme', 'http://porthole/index.html'],
    ['a file: page', 'file:///tmp/index.html'],
    ['an opaque data: page', 'data:text/html,<p>hi</p>'],
    ['about:blank', 'about:blank'],
  ])('refuses a top frame showing %s, and never dispatches', async (_label, url) => {
    const { ipcMain, dispatch, app, fromTop, log } = setup()
    const result = await ipcMain.invoke(fromTop(app, url), 'settings.set', { theme: 'dark' })
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER', retryable: false } })
    expect(dispatch).not.toHaveBeenCalled()
    expect(log.lines.some((l) => l.includes('IPC call refused'))).toBe(true)
  })

  it('refuses a subframe even when it shows the app origin', async () => {
    const { ipcMain, dispatch, app } = setup()
    const event: IpcInvokeEvent = { sender: app, senderFrame: { url: APP_ENTRY_URL, parent: app.mainFrame } }
    const result = await ipcMain.invoke(event, 'app.info', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } })
    expect(dispatch).not.toHaveBeenCalled()
  })

  it('refuses web contents that are not an app window (devtools, a stray popup)', async () => {
    const { ipcMain, dispatch, fromTop } = setup()
    const stranger = new FakeContents(APP_ENTRY_URL)
    const result = await ipcMain.invoke(fromTop(stranger), 'app.info', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } })
    expect(dispatch).not.toHaveBeenCalled()
  })

  it('refuses a call whose frame is already gone', async () => {
    const { ipcMain, dispatch, app } = setup()
    const result = await ipcMain.invoke({ sender: app, senderFrame: null }, 'app.info', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } })
    expect(dispatch).not.toHaveBeenCalled()
  })

  it('in development accepts the dev server origin only', async () => {
    const { ipcMain, dispatch, app, fromTop } = setup('http://localhost:5173', 'http://localhost:5173/')
    expect(await ipcMain.invoke(fromTop(app), 'app.info', {})).toMatchObject({ ok: true })
    expect(await ipcMain.invoke(fromTop(app, 'http://localhost:5174/'), 'app.info', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    })
    expect(await ipcMain.invoke(fromTop(app, APP_ENTRY_URL), 'app.info', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    })
    expect(dispatch).toHaveBeenCalledTimes(1)
  })

  it("aborts a window's calls when its web contents is destroyed, and only that window's", async () => {
    const { ipcMain, dispatch, app, windows, fromTop } = setup()
    const other = new FakeContents(APP_ENTRY_URL)
    windows.push(other)
    await ipcMain.invoke(fromTop(app), 'app.info', {})
    await ipcMain.invoke(fromTop(app), 'app.info', {})
    await ipcMain.invoke(fromTop(other), 'app.info', {})
    const [first, second, third] = dispatch.mock.calls.map((c) => c[2].signal)
    expect(first).toBe(second)
    app.destroy()
    expect([first?.aborted, third?.aborted]).toEqual([true, false])
  })

  it('dispatches through the real host: app.info reports transport "ipc"', async () => {
    const log = memoryLog()
    let stored: unknown
    const settingsStore: SettingsStore = { read: () => stored, write: (v) => void (stored = v) }
    const host = createHost({ dataDir: '/nonexistent', version: '1.2.3', platform: 'linux', settingsStore, log })
    const ipcMain = new FakeIpcMain()
    const app = new FakeContents(APP_ENTRY_URL)
    bindIpcTransport({ ipcMain, dispatch: host.dispatch, events: host.events, appContents: () => [app], origin: APP_ORIGIN, log })
    const top: IpcInvokeEvent = { sender: app, senderFrame: app.mainFrame }
    expect(await ipcMain.invoke(top, 'app.info', {})).toEqual({
      ok: true,
      value: { name: 'Porthole', version: '1.2.3', platform: 'linux', transport: 'ipc' },
    })
    // A bad payload from a trusted sender is still refused by the contract.
    expect(await ipcMain.invoke(top, 'settings.set', { theme: 'neon' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    // A good one changes the settings and the change comes back as an event.
    expect(await ipcMain.invoke(top, 'settings.set', { theme: 'dark' })).toMatchObject({ ok: true, value: { theme: 'dark' } })
    expect(app.sent).toEqual([[IPC_EVENT, 'settings.changed', { ...DEFAULT_SETTINGS, theme: 'dark' }]])
  })
})

describe('IPC transport: where events go', () => {
  it('sends events to app windows only, skipping destroyed ones and pages that are not the app', () => {
    const { events, app, windows } = setup()
    const second = new FakeContents(APP_ENTRY_URL)
    const closed = new FakeContents(APP_ENTRY_URL)
    const elsewhere = new FakeContents('https://evil.example/')
    const stranger = new FakeContents(APP_ENTRY_URL) // not in the app's window list
    closed.destroy()
    windows.push(second, closed, elsewhere)
    events.emit('settings.changed', DEFAULT_SETTINGS)
    const expected = [[IPC_EVENT, 'settings.changed', DEFAULT_SETTINGS]]
    expect(app.sent).toEqual(expected)
    expect(second.sent).toEqual(expected)
    expect([closed.sent, elsewhere.sent, stranger.sent]).toEqual([[], [], []])
  })

  it('unbinds on dispose: no handler, no more events', async () => {
    const { ipcMain, events, app, transport } = setup()
    transport.dispose()
    expect(ipcMain.handlers.has(IPC_CALL)).toBe(false)
    events.emit('settings.changed', DEFAULT_SETTINGS)
    expect(app.sent).toEqual([])
  })
})
