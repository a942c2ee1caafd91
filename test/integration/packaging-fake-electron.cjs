/* eslint-disable @typescript-eslint/no-require-imports -- loaded with `node --require`: CommonJS */
// A stand-in for the `electron` module, so the built main bundle (out/main/index.js) can run
// in plain Node: packaging-main-bundle.test.ts starts it with this file preloaded. It records
// what main does, then plays a short session against it — load the page over app://, call
// over IPC from the app's frame and from a foreign one, change a setting — quits, and writes
// a JSON report to FAKE_ELECTRON_REPORT.
const { EventEmitter } = require('node:events')
const fs = require('node:fs')
const Module = require('node:module')
const path = require('node:path')

const home = process.env.FAKE_ELECTRON_HOME
const reportFile = process.env.FAKE_ELECTRON_REPORT
const report = { schemes: [], sandbox: false, quitCalls: 0, windows: [], steps: {}, menu: null, errors: [] }

function finish(code) {
  fs.writeFileSync(reportFile, JSON.stringify(report, null, 2))
  process.exit(code)
}
const watchdog = setTimeout(() => {
  report.errors.push('watchdog: the session did not finish')
  finish(2)
}, 20_000)
process.on('unhandledRejection', (err) => {
  report.errors.push(`unhandled rejection: ${err && err.stack ? err.stack : String(err)}`)
  finish(3)
})

class FakeWebContents extends EventEmitter {
  constructor() {
    super()
    this.sent = []
    this.destroyed = false
    this.mainFrame = { url: '', parent: null }
  }
  setWindowOpenHandler(handler) {
    this.openHandler = handler
  }
  isDestroyed() {
    return this.destroyed
  }
  send(channel, ...args) {
    this.sent.push([channel, ...args])
  }
}

class BrowserWindow extends EventEmitter {
  constructor(options) {
    super()
    this.options = options
    this.webContents = new FakeWebContents()
    app.emit('web-contents-created', {}, this.webContents)
    this.visible = false
    report.windows.push({ options })
  }
  loadURL(url) {
    this.webContents.mainFrame.url = url
    report.windows.at(-1).url = url
    setImmediate(() => session(this, url).catch((err) => {
      report.errors.push(`session: ${err.stack}`)
      finish(4)
    }))
    return Promise.resolve()
  }
  show() {
    this.visible = true
  }
  isVisible() {
    return this.visible
  }
  maximize() {}
  isMaximized() {
    return false
  }
  isMinimized() {
    return this.minimized === true
  }
  restore() {
    this.minimized = false
  }
  focus() {
    this.focused = true
  }
  isDestroyed() {
    return false
  }
  getNormalBounds() {
    return { x: this.options.x ?? 0, y: this.options.y ?? 0, width: this.options.width, height: this.options.height }
  }
}

const ipcHandlers = new Map()
const ipcMain = {
  handle: (channel, listener) => ipcHandlers.set(channel, listener),
  removeHandler: (channel) => ipcHandlers.delete(channel),
  on: () => {},
  removeAllListeners: () => {},
}
const protocolHandlers = new Map()
const protocol = {
  registerSchemesAsPrivileged: (schemes) => report.schemes.push(...schemes),
  handle: (scheme, handler) => protocolHandlers.set(scheme, handler),
}
const sessionHandlers = {}
const defaultSession = {
  setPermissionRequestHandler: (h) => (sessionHandlers.request = h),
  setPermissionCheckHandler: (h) => (sessionHandlers.check = h),
  setDevicePermissionHandler: (h) => (sessionHandlers.device = h),
  setSpellCheckerEnabled: (on) => (sessionHandlers.spellChecker = on),
  webRequest: { onBeforeRequest: (h) => (sessionHandlers.beforeRequest = h) },
}

class App extends EventEmitter {
  constructor() {
    super()
    this.name = 'Porthole'
    this.isPackaged = process.env.FAKE_ELECTRON_PACKAGED === '1'
  }
  setAboutPanelOptions(options) {
    report.about = options
  }
  enableSandbox() {
    report.sandbox = true
  }
  requestSingleInstanceLock() {
    return process.env.FAKE_ELECTRON_LOCK !== 'taken'
  }
  whenReady() {
    return Promise.resolve()
  }
  getPath(name) {
    return path.join(home, name)
  }
  getVersion() {
    return '9.8.7'
  }
  exit(code) {
    report.errors.push(`app.exit(${code})`)
    finish(code)
  }
  quit() {
    report.quitCalls++
    setImmediate(() => {
      const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true } }
      this.emit('will-quit', event)
      if (event.defaultPrevented) return // main quits again when it is done
      clearTimeout(watchdog)
      finish(0)
    })
  }
}
const app = new App()

const electron = {
  app,
  BrowserWindow,
  dialog: { showErrorBox: (title, message) => report.errors.push(`${title}: ${message}`) },
  ipcMain,
  Menu: {
    buildFromTemplate: (template) => template,
    setApplicationMenu: (menu) =>
      (report.menu = menu.map((m) => ({
        label: m.label,
        items: (m.submenu || []).filter((i) => i.id).map((i) => ({ id: i.id, enabled: i.enabled !== false })),
      }))),
  },
  nativeTheme: { shouldUseDarkColors: false },
  powerMonitor: Object.assign(new EventEmitter(), { getSystemIdleTime: () => 0 }),
  // A machine without a keyring: quick unlock must be refused.
  safeStorage: {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'basic_text',
    encryptString: () => {
      throw new Error('encryptString must not be called with basic_text')
    },
    decryptString: () => {
      throw new Error('decryptString must not be called with basic_text')
    },
  },
  protocol,
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  session: { defaultSession },
  shell: {},
}

// The session the test checks, played once the window has loaded its page.
async function session(win, url) {
  const steps = report.steps
  const handler = protocolHandlers.get('app')
  if (handler) {
    const res = await handler(new Request(url))
    steps.page = { status: res.status, csp: res.headers.get('content-security-policy'), body: await res.text() }
  }
  const call = ipcHandlers.get('porthole:call')
  const own = { sender: win.webContents, senderFrame: { url, parent: null } }
  const foreign = { sender: win.webContents, senderFrame: { url: 'https://evil.example/', parent: null } }
  steps.info = await call(own, 'app.info', {})
  steps.foreign = await call(foreign, 'app.info', {})
  steps.settings = await call(own, 'settings.set', { theme: 'dark' })
  steps.vault = await call(own, 'vault.status', {})
  electron.powerMonitor.emit('lock-screen')
  electron.powerMonitor.emit('suspend')
  steps.events = win.webContents.sent
  steps.windowOpen = win.webContents.openHandler({ url: 'https://evil.example/' })
  let navigationPrevented = false
  win.webContents.emit('will-navigate', { preventDefault: () => (navigationPrevented = true) }, 'https://evil.example/')
  steps.navigationPrevented = navigationPrevented
  const cancelled = (url) => new Promise((resolve) => sessionHandlers.beforeRequest({ url, resourceType: 'xhr' }, (r) => resolve(r.cancel)))
  steps.requests = { own: await cancelled(url), internet: await cancelled('https://evil.example/collect'), relay: await cancelled('ws://127.0.0.1:40000/relay/x') }
  steps.permission = await new Promise((resolve) => sessionHandlers.request(win.webContents, 'media', resolve, {}))
  // The one permission the page gets: writeText from its own top frame (not from an outside page).
  const origin = `${new URL(url).protocol}//${new URL(url).host}`
  steps.clipboard = {
    own: sessionHandlers.check(win.webContents, 'clipboard-sanitized-write', origin, { requestingUrl: url, isMainFrame: true }),
    foreign: sessionHandlers.check(win.webContents, 'clipboard-sanitized-write', 'https://evil.example', { requestingUrl: 'https://evil.example/', isMainFrame: true }),
  }
  // Someone starts Porthole again: the running one comes to the front.
  win.minimized = true
  win.visible = false
  app.emit('second-instance', {}, ['porthole'], home)
  steps.secondInstance = { restored: win.minimized === false, visible: win.visible, focused: win.focused === true }
  win.emit('close') // saves the window state
  app.quit()
}

// Route `electron` to this fake for require() (the CommonJS main bundle) and for import
// (electron-store is ESM): a resolve hook that points the bare name here.
const originalResolve = Module._resolveFilename
Module._resolveFilename = function (request, ...rest) {
  return request === 'electron' ? __filename : originalResolve.call(this, request, ...rest)
}
Module.register(
  `data:text/javascript,${encodeURIComponent(
    `export async function resolve(specifier, context, next) {
      if (specifier === 'electron') return { url: ${JSON.stringify(require('node:url').pathToFileURL(__filename).href)}, shortCircuit: true, format: 'commonjs' }
      return next(specifier, context)
    }`,
  )}`,
)

module.exports = electron
