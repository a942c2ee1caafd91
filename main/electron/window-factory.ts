import { BrowserWindow, screen, type Session, type WebContents, type WebPreferences } from 'electron'
import type { Log } from '../services/log/log'
import { originOf, type RendererLocation } from './app-origin'
import { initialBounds, MIN_SIZE, trackWindowState, type WindowStateStore } from './window-state'

/**
 * The renderer is treated as hostile (DESIGN.md): no Node, its own isolated world for the
 * preload, Chromium's sandbox, and no way to embed other pages. Every window uses exactly these.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
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
}

/** The parts of WebContents the guards touch. */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>

const hardened = new WeakSet<GuardedContents>()

/**
 * The page may never leave the app: navigations and redirects are cancelled (a reload is not a
 * navigation and still works), `<webview>` is never attached, and window.open opens nothing.
 * Links to the outside world will go through a main-side, validated shell.openExternal.
 */
export function hardenWebContents(contents: GuardedContents, log: Log): void {
  // Windows get it from the factory and again from app's 'web-contents-created': once is enough.
  if (hardened.has(contents)) return
  hardened.add(contents)
  contents.on('will-navigate', (event, url) => {
    event.preventDefault()
    log.warn('navigation blocked', { to: originOf(url) ?? '(no origin)' })
  })
  contents.on('will-redirect', (event, url) => {
    event.preventDefault()
    log.warn('redirect blocked', { to: originOf(url) ?? '(no origin)' })
  })
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
    log.warn('webview blocked')
  })
  contents.setWindowOpenHandler(({ url }) => {
    log.warn('window.open denied', { to: originOf(url) ?? '(no origin)' })
    return { action: 'deny' }
  })
}

/** The parts of Session the guards touch. */
export type GuardedSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'setSpellCheckerEnabled'
>

/**
 * The permissions the app's own page gets: `clipboard-sanitized-write`, which is what
 * `navigator.clipboard.writeText` asks for (copy buttons, the process viewer's Copy; plain text
 * only, never read), and a console's full screen with the keyboard lock (`fullscreen` for
 * Element.requestFullscreen, `keyboardLock` for navigator.keyboard.lock, so Alt+Tab, the Windows
 * key and Esc reach the VM; Chromium's long Esc press still leaves). Only the top frame of the
 * app's origin gets them, the same test the IPC transport applies to callers (ipc-transport.ts,
 * checkSender).
 */
const APP_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write', 'fullscreen', 'keyboardLock'])

function isAppTopFrame(url: string | undefined, isMainFrame: boolean, origin: string): boolean {
  return isMainFrame && url !== undefined && originOf(url) === origin
}

/**
 * Camera, microphone, notifications, geolocation, HID/USB/serial, clipboard reads…: the page
 * gets none of them (only writing text to the clipboard and a console's full screen, see
 * APP_PERMISSIONS). A feature that needs one should ask main through the contract instead.
 */
export function hardenSession(session: GuardedSession, log: Log, origin: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    if (APP_PERMISSIONS.has(permission) && isAppTopFrame(details.requestingUrl, details.isMainFrame, origin)) {
      callback(true)
      return
    }
    log.info('permission request denied', { permission })
    callback(false)
  })
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    // A check not made for a document (a worker) has no requestingUrl and is refused.
    if (!APP_PERMISSIONS.has(permission) || details.embeddingOrigin !== undefined) return false
    return originOf(requestingOrigin) === origin && isAppTopFrame(details.requestingUrl, details.isMainFrame, origin)
  })
  session.setDevicePermissionHandler(() => false)
  // Off for the whole session, not only per window: otherwise Chromium fetches Hunspell dictionaries from Google.
  session.setSpellCheckerEnabled(false)
}

export interface MainWindowOptions {
  location: RendererLocation
  preloadPath: string
  windowState: WindowStateStore
  log: Log
  /** Window icon (Linux and Windows use it; macOS takes the bundle's). */
  icon?: string
  backgroundColor?: string
}

/** Opens a main window at its remembered place, with the secure preferences and guards, and loads the renderer. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const { log } = options
  const bounds = initialBounds(
    options.windowState.read(),
    screen.getAllDisplays().map((d) => d.workArea),
  )
  const win = new BrowserWindow({
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    width: bounds.width,
    height: bounds.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Porthole',
    show: false,
    ...(options.icon !== undefined ? { icon: options.icon } : {}),
    ...(options.backgroundColor !== undefined ? { backgroundColor: options.backgroundColor } : {}),
    webPreferences: secureWebPreferences(options.preloadPath),
  })
  hardenWebContents(win.webContents, log)
  if (bounds.maximized) win.maximize()
  trackWindowState(win, options.windowState)

  // Shown once painted to avoid a white flash; shown anyway if loading fails, so the user is
  // never left with an invisible app.
  win.once('ready-to-show', () => win.show())
  win.webContents.on('did-fail-load', (_event, code, description) => {
    log.error('renderer failed to load', { code, description })
    if (!win.isDestroyed() && !win.isVisible()) win.show()
  })
  win.webContents.on('render-process-gone', (_event, details) => {
    log.error('renderer process gone', { reason: details.reason, exitCode: details.exitCode })
  })
  win.loadURL(options.location.url).catch((err: unknown) => {
    log.error('loadURL failed', { error: err instanceof Error ? err.message : String(err) })
  })
  return win
}
