// The desktop side of consoles (DESIGN.md "Consoles"): VMware Remote Console through the OS's
// vmrc:// handler, and detached console windows. The console service validates the VMRC URL
// (services/consoles/vmrc-url.ts) before it gets here; this glue checks the scheme once more.
import { BrowserWindow, shell } from 'electron'
import type { ConsoleDesktop, DetachedConsoleSpec } from '../services/consoles/console-service'
import type { Log } from '../services/log/log'
import type { RendererLocation } from './app-origin'
import { hardenWebContents, secureWebPreferences } from './window-factory'

export interface ConsoleDesktopOptions {
  location: RendererLocation
  preloadPath: string
  /** Adds the window to the app's windows, so the IPC transport answers it. */
  register(win: BrowserWindow): void
  icon?: string
  backgroundColor?: string
  log: Log
}

/** `#console=<base64url JSON>`: what renderer/src/features/consoles/detached.ts reads. */
export function detachedFragment(spec: DetachedConsoleSpec): string {
  return `#console=${Buffer.from(JSON.stringify(spec), 'utf8').toString('base64url')}`
}

/** The Electron implementation of the consoles' desktop seam. */
export function consoleDesktop(options: ConsoleDesktopOptions): ConsoleDesktop {
  const { log } = options
  return {
    async openVmrc(url) {
      if (!url.startsWith('vmrc://')) throw new Error('not a vmrc:// URL')
      // Rejects when the OS has no application for vmrc:// (the service then says how to get VMRC).
      await shell.openExternal(url, { activate: true })
    },
    async openConsoleWindow(spec) {
      const win = new BrowserWindow({
        width: 1024,
        height: 720,
        minWidth: 480,
        minHeight: 320,
        title: `${spec.name} — Porthole`,
        show: false,
        ...(options.icon !== undefined ? { icon: options.icon } : {}),
        ...(options.backgroundColor !== undefined ? { backgroundColor: options.backgroundColor } : {}),
        webPreferences: secureWebPreferences(options.preloadPath),
      })
      hardenWebContents(win.webContents, log)
      options.register(win)
      win.once('ready-to-show', () => win.show())
      await win.loadURL(options.location.url + detachedFragment(spec))
      log.info('consoles: detached window opened', { connectionId: spec.ref.connectionId, vm: spec.ref.id, protocol: spec.protocol })
    },
  }
}
