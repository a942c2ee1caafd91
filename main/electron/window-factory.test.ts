import { EventEmitter } from 'node:events'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { memoryLog } from '../services/log/log'
import { APP_ENTRY_URL, APP_ORIGIN } from './app-origin'
import type { WindowState } from './window-state'

// A fake of the few Electron classes the factory touches; the real module cannot load in Node.
const fake = vi.hoisted(() => {
  // vi.hoisted runs before imports, so EventEmitter is required here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EventEmitter: Emitter } = require('node:events') as typeof import('node:events')
  class FakeWebContents extends Emitter {
    openHandler: ((details: { url: string }) => { action: string }) | undefined
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
      this.openHandler = handler
    }
  }
  class FakeBrowserWindow extends Emitter {
    static created: FakeBrowserWindow[] = []
    readonly webContents = new FakeWebContents()
    readonly loaded: string[] = []
    maximized = false
    visible = false
    bounds: { x: number; y: number; width: number; height: number }
    constructor(readonly options: Record<string, unknown>) {
      super()
      this.bounds = {
        x: (options.x as number | undefined) ?? 100,
        y: (options.y as number | undefined) ?? 100,
        width: options.width as number,
        height: options.height as number,
      }
      FakeBrowserWindow.created.push(this)
    }
    loadURL(url: string): Promise<void> {
      this.loaded.push(url)
      return Promise.resolve()
    }
    maximize(): void {
      this.maximized = true
    }
    isMaximized(): boolean {
      return this.maximized
    }
    getNormalBounds(): { x: number; y: number; width: number; height: number } {
      return this.bounds
    }
    isDestroyed(): boolean {
      return false
    }
    isVisible(): boolean {
      return this.visible
    }
    show(): void {
      this.visible = true
    }
  }
  const displays = [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }]
  return { FakeBrowserWindow, displays }
})

vi.mock('electron', () => ({
  BrowserWindow: fake.FakeBrowserWindow,
  screen: { getAllDisplays: () => fake.displays },
}))

const { createMainWindow, hardenSession, hardenWebContents, secureWebPreferences } = await import('./window-factory')

const location = { url: APP_ENTRY_URL, origin: APP_ORIGIN, dev: false }
const SECURE = {
  preload: '/app/out/preload/index.js',
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
}

function memoryStateStore(initial?: WindowState) {
  const writes: WindowState[] = []
  return { writes, read: (): unknown => initial, write: (s: WindowState) => void writes.push(s) }
}

function open(saved?: WindowState) {
  const log = memoryLog()
  const windowState = memoryStateStore(saved)
  const win = createMainWindow({ location, preloadPath: SECURE.preload, windowState, log }) as unknown as InstanceType<
    typeof fake.FakeBrowserWindow
  >
  return { win, log, windowState }
}

function preventable() {
  return { preventDefault: vi.fn() }
}

beforeEach(() => {
  fake.FakeBrowserWindow.created = []
})

describe('window factory', () => {
  it('gives every window exactly the secure web preferences', () => {
    expect(secureWebPreferences(SECURE.preload)).toEqual(SECURE)
    const { win } = open()
    expect(win.options.webPreferences).toEqual(SECURE)
  })

  it('loads the renderer from the app origin and shows the window once painted', () => {
    const { win } = open()
    expect(win.loaded).toEqual([APP_ENTRY_URL])
    expect(win.options.show).toBe(false)
    win.emit('ready-to-show')
    expect(win.visible).toBe(true)
  })

  it('blocks navigation, redirects and webviews, and denies window.open', () => {
    const { win, log } = open()
    for (const name of ['will-navigate', 'will-redirect']) {
      const event = preventable()
      win.webContents.emit(name, event, 'https://evil.example/phish?token=secret')
      expect(event.preventDefault, name).toHaveBeenCalledTimes(1)
    }
    const attach = preventable()
    win.webContents.emit('will-attach-webview', attach, {}, {})
    expect(attach.preventDefault).toHaveBeenCalledTimes(1)
    expect(win.webContents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    expect(win.webContents.openHandler?.({ url: `${APP_ORIGIN}/index.html` })).toEqual({ action: 'deny' })
    // Logged by origin only: the query string may carry a token.
    expect(log.lines.join('\n')).not.toContain('secret')
  })

  it('applies the same guards to any web contents', () => {
    const contents = new (class extends EventEmitter {
      handler: ((details: { url: string }) => unknown) | undefined
      setWindowOpenHandler(h: (details: { url: string }) => unknown): void {
        this.handler = h
      }
    })()
    hardenWebContents(contents as never, memoryLog())
    const event = preventable()
    contents.emit('will-navigate', event, 'file:///etc/passwd')
    expect(event.preventDefault).toHaveBeenCalled()
    expect(contents.handler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
  })
})

describe('session guards', () => {
  let spellChecker: boolean | undefined
  function hardened() {
    const handlers: Record<string, (...args: never[]) => unknown> = {}
    const session = {
      setPermissionRequestHandler: (h: (...args: never[]) => unknown) => void (handlers.request = h),
      setPermissionCheckHandler: (h: (...args: never[]) => unknown) => void (handlers.check = h),
      setDevicePermissionHandler: (h: (...args: never[]) => unknown) => void (handlers.device = h),
      setSpellCheckerEnabled: (on: boolean) => void (spellChecker = on),
    }
    hardenSession(session as never, memoryLog(), APP_ORIGIN)
    return handlers as Record<'request' | 'check' | 'device', (...args: unknown[]) => unknown>
  }

  it.each(['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'pointerLock', 'hid', 'usb'])(
    'denies a request for %s',
    (permission) => {
      const { request } = hardened()
      const callback = vi.fn()
      request!({}, permission, callback, { requestingUrl: APP_ENTRY_URL, isMainFrame: true })
      expect(callback).toHaveBeenCalledExactlyOnceWith(false)
    },
  )

  it('answers every other permission check, even from the app\'s top frame, and every device request with false', () => {
    const { check, device } = hardened()
    const top = { requestingUrl: APP_ENTRY_URL, isMainFrame: true }
    for (const permission of ['media', 'clipboard-read', 'serial', 'notifications', 'deprecated-sync-clipboard-read']) {
      expect(check!({}, permission, APP_ORIGIN, top), permission).toBe(false)
    }
    expect(device!({ deviceType: 'usb', origin: APP_ORIGIN })).toBe(false)
  })

  it('grants clipboard-sanitized-write (writeText) to the app\'s top frame, by request and by check', () => {
    const { request, check } = hardened()
    const callback = vi.fn()
    request!({}, 'clipboard-sanitized-write', callback, { requestingUrl: APP_ENTRY_URL, isMainFrame: true })
    expect(callback).toHaveBeenCalledExactlyOnceWith(true)
    expect(check!({}, 'clipboard-sanitized-write', APP_ORIGIN, { requestingUrl: APP_ENTRY_URL, isMainFrame: true })).toBe(
      true,
    )
  })

  it.each(['fullscreen', 'keyboardLock'])('grants %s (a console\'s full screen with the keyboard lock) to the app\'s top frame, by request and by check', (permission) => {
    const { request, check } = hardened()
    const callback = vi.fn()
    request!({}, permission, callback, { requestingUrl: APP_ENTRY_URL, isMainFrame: true })
    expect(callback).toHaveBeenCalledExactlyOnceWith(true)
    expect(check!({}, permission, APP_ORIGIN, { requestingUrl: APP_ENTRY_URL, isMainFrame: true })).toBe(true)
  })

  it.each(['fullscreen', 'keyboardLock'])('denies %s to a foreign origin and to a subframe of the app', (permission) => {
    const { request, check } = hardened()
    for (const [requestingUrl, requestingOrigin, isMainFrame] of [
      ['https://evil.example/page', 'https://evil.example', true],
      [`${APP_ORIGIN}/frame.html`, APP_ORIGIN, false],
    ] as const) {
      const callback = vi.fn()
      request!({}, permission, callback, { requestingUrl, isMainFrame })
      expect(callback).toHaveBeenCalledExactlyOnceWith(false)
      expect(check!({}, permission, requestingOrigin, { requestingUrl, isMainFrame })).toBe(false)
    }
  })

  it.each([
    ['a foreign origin', 'https://evil.example/page', 'https://evil.example', true, {}],
    ['a subframe of the app', `${APP_ORIGIN}/frame.html`, APP_ORIGIN, false, {}],
    ['a foreign subframe in the app', 'https://evil.example/ad', 'https://evil.example', false, { embeddingOrigin: APP_ORIGIN }],
    ['another scheme with the app host', 'http://porthole/index.html', 'http://porthole', true, {}],
    ['a document-less check (worker)', undefined, APP_ORIGIN, false, {}],
  ])('denies clipboard-sanitized-write to %s', (_name, requestingUrl, requestingOrigin, isMainFrame, extra) => {
    const { request, check } = hardened()
    const callback = vi.fn()
    request!({}, 'clipboard-sanitized-write', callback, { requestingUrl: requestingUrl ?? '', isMainFrame })
    expect(callback).toHaveBeenCalledExactlyOnceWith(false)
    const details = requestingUrl === undefined ? { isMainFrame, ...extra } : { requestingUrl, isMainFrame, ...extra }
    expect(check!({}, 'clipboard-sanitized-write', requestingOrigin, details)).toBe(false)
  })

  it('switches the spell checker off for the whole session (no dictionary downloads)', () => {
    spellChecker = undefined
    hardened()
    expect(spellChecker).toBe(false)
  })
})

describe('window bounds', () => {
  it('restores a remembered place that is on a display, maximized too', () => {
    const { win } = open({ x: 200, y: 150, width: 1000, height: 700, maximized: true })
    expect([win.options.x, win.options.y, win.options.width, win.options.height]).toEqual([200, 150, 1000, 700])
    expect(win.maximized).toBe(true)
  })

  it('drops a position that is on no connected display, keeping the size', () => {
    const { win } = open({ x: 4000, y: 150, width: 1000, height: 700, maximized: false })
    expect('x' in win.options || 'y' in win.options).toBe(false)
    expect([win.options.width, win.options.height]).toEqual([1000, 700])
    expect(win.maximized).toBe(false)
  })

  it('saves the window state when the window closes', () => {
    const { win, windowState } = open()
    win.bounds = { x: 10, y: 20, width: 900, height: 600 }
    win.maximized = true
    win.emit('close')
    expect(windowState.writes.at(-1)).toEqual({ x: 10, y: 20, width: 900, height: 600, maximized: true })
  })
})
