/// <reference types="electron-vite/node" />
// Electron entry: lifecycle, windows, menu. Thin glue: everything else is in main/host.ts
// (services bound to the contract) and main/electron/ (the Electron-only pieces).
import path from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, powerMonitor, protocol, safeStorage, session, shell } from 'electron'
import icon from '../assets/icon.png?asset'
import { createHost, type Host } from './host'
import { createFileLog } from './services/log/file-log'
import type { Log } from './services/log/log'
import { rendererLocation } from './electron/app-origin'
import { registerAppScheme, serveAppProtocol } from './electron/app-protocol'
import { createAppWindows } from './electron/app-windows'
import { consoleDesktop } from './electron/external'
import { createDragStarter } from './electron/drag'
import { bindIpcTransport } from './electron/ipc-transport'
import { safeStorageProtector } from './electron/key-protector'
import { installAppMenu } from './electron/menu'
import { restrictRequests } from './electron/request-guard'
import { openPreferences } from './electron/settings-store'
import { addLockVaultMenuItem, lockOnPowerEvents } from './electron/vault-glue'
import { createMainWindow, hardenSession, hardenWebContents } from './electron/window-factory'

/** How long quitting waits for services to close (sessions logged out, files flushed). */
const DISPOSE_TIMEOUT_MS = 5000

// Both must happen before `ready`.
registerAppScheme(protocol)
app.enableSandbox()

if (!app.requestSingleInstanceLock()) {
  // Another Porthole is running: it gets focused (its 'second-instance' below) and we leave.
  app.quit()
} else {
  void start().catch((err: unknown) => {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err)
    console.error(message)
    dialog.showErrorBox('Porthole could not start', message)
    app.exit(1)
  })
}

async function start(): Promise<void> {
  const windows = createAppWindows<BrowserWindow>()
  await app.whenReady()
  const log = createFileLog(app.getPath('logs'))
  const location = rendererLocation(app.isPackaged, process.env.ELECTRON_RENDERER_URL)
  const dataDir = app.getPath('userData')
  const preferences = await openPreferences(dataDir, log)
  const host = createHost({
    dataDir,
    version: app.getVersion(),
    platform: process.platform,
    settingsStore: preferences.settings,
    log,
    // Quick unlock through the OS keychain; auto-lock measured from the system's idle time.
    vault: {
      protector: safeStorageProtector(safeStorage, process.platform),
      idleSeconds: () => powerMonitor.getSystemIdleTime(),
    },
    // The console relay accepts the renderer's origin (app://porthole, or the dev server's); VMRC and
    // detached console windows go through the Electron glue.
    consoles: {
      origins: () => [location.origin],
      desktop: consoleDesktop({
        location,
        preloadPath: path.join(__dirname, '../preload/index.js'),
        register: (win) => windows.add(win),
        icon,
        backgroundColor: nativeTheme.shouldUseDarkColors ? '#0f1720' : '#f7f8fa',
        log,
      }),
    },
    // Downloads go to the OS downloads folder; "show in folder" and the folder picker are the desktop's.
    downloads: {
      dir: app.getPath('downloads'),
      showItemInFolder: (file) => shell.showItemInFolder(file),
      chooseFolder: async () => {
        const picked = await dialog.showOpenDialog({ title: 'Downloads folder', properties: ['openDirectory', 'createDirectory'] })
        return picked.canceled ? undefined : picked.filePaths[0]
      },
    },
  })
  const stopPowerLocks = lockOnPowerEvents(powerMonitor, host.vault)
  log.info('starting', { version: app.getVersion(), packaged: app.isPackaged, dev: location.dev })

  // Any web contents, not only our windows (devtools, anything a future feature opens), gets the guards.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log))
  hardenSession(session.defaultSession, log, location.origin)
  restrictRequests(session.defaultSession.webRequest, location.origin, log)
  if (!location.dev) serveAppProtocol(protocol, path.join(__dirname, '../renderer'))

  const transport = bindIpcTransport({
    ipcMain,
    dispatch: host.dispatch,
    events: host.events,
    appContents: () => windows.contents(),
    origin: location.origin,
    log,
    // Drag-out of finished downloads: webContents.startDrag with the app icon.
    startDrag: createDragStarter(icon),
  })
  // Features add their items with menu.add(section, {id, label, click}) (see main/electron/menu.ts).
  app.setAboutPanelOptions({ applicationName: 'Porthole', applicationVersion: app.getVersion(), iconPath: icon })
  const menu = installAppMenu(Menu, { platform: process.platform, dev: location.dev, appName: app.name })
  addLockVaultMenuItem(menu, host.vault, host.events)

  const openWindow = (): BrowserWindow =>
    windows.add(
      createMainWindow({
        location,
        preloadPath: path.join(__dirname, '../preload/index.js'),
        windowState: preferences.windowState,
        log,
        icon,
        backgroundColor: nativeTheme.shouldUseDarkColors ? '#0f1720' : '#f7f8fa',
      }),
    )
  openWindow()

  app.on('second-instance', () => {
    // Porthole was started again: bring this one to the front (macOS may have no window open).
    const win = windows.list()[0] ?? openWindow()
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
  })
  app.on('activate', () => {
    // macOS: clicking the dock icon with no window open opens one.
    if (windows.list().length === 0) openWindow()
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  quitCleanly(host, log, () => {
    stopPowerLocks()
    transport.dispose()
  })
}

/** Holds the quit until the host has closed its services, then lets it proceed (with a deadline). */
function quitCleanly(host: Host, log: Log, unbind: () => void): void {
  let state: 'running' | 'closing' | 'closed' = 'running'
  app.on('will-quit', (event) => {
    if (state === 'closed') return
    event.preventDefault()
    if (state === 'closing') return
    state = 'closing'
    unbind()
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log.warn('services did not close in time; quitting anyway', { ms: DISPOSE_TIMEOUT_MS })
        resolve()
      }, DISPOSE_TIMEOUT_MS)
    })
    Promise.race([host.dispose(), deadline])
      .catch((err: unknown) => log.error('dispose failed', { error: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        clearTimeout(timer)
        state = 'closed'
        app.quit()
      })
  })
}
