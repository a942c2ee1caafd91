// The built main bundle (out/main/index.js, what the package ships) run in plain Node against
// a fake `electron` (packaging-fake-electron.cjs): main/index.ts's wiring — single-instance lock,
// app:// with its CSP, window preferences, IPC sender checks, events, preferences on disk,
// clean quit — checked end to end with the real host and the real electron-store.
// Needs a build (npm test builds before vitest); skipped without one.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../main/csp'

const root = path.resolve(import.meta.dirname, '../..')
const bundle = path.join(root, 'out/main/index.js')
const fakeElectron = path.join(import.meta.dirname, 'packaging-fake-electron.cjs')
const built = fs.existsSync(bundle) && fs.existsSync(path.join(root, 'out/renderer/index.html'))

interface Report {
  schemes: { scheme: string; privileges: Record<string, boolean> }[]
  sandbox: boolean
  quitCalls: number
  windows: { options: Record<string, unknown> & { webPreferences: Record<string, unknown> }; url: string }[]
  steps: Record<string, unknown>
  menu: { label: string; items: { id: string; enabled: boolean }[] }[] | null
  about?: { applicationName: string; applicationVersion: string; iconPath: string }
  errors: string[]
}

let tmp: string
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-main-'))
})
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

let runs = 0
/** Runs the bundle with the fake electron; a run that outlives the deadline is killed and fails. */
function runMain(env: Record<string, string>, home = path.join(tmp, `home-${++runs}`)): Promise<{ code: number | null; report: Report; home: string; output: string }> {
  fs.mkdirSync(home, { recursive: true })
  const reportFile = path.join(home, 'report.json')
  // Only what the test sets decides dev vs. production: the outer environment's dev server URL does not leak in.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'ELECTRON_RENDERER_URL'))
  const childEnv: NodeJS.ProcessEnv = { ...inherited, FAKE_ELECTRON_HOME: home, FAKE_ELECTRON_REPORT: reportFile, ...env }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', fakeElectron, bundle], { cwd: root, env: childEnv })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`main bundle still running after 30 s:\n${output}`))
    }, 30_000)
    child.on('close', (code) => {
      clearTimeout(timer)
      try {
        resolve({ code, report: JSON.parse(fs.readFileSync(reportFile, 'utf8')) as Report, home, output })
      } catch (err) {
        reject(new Error(`no report (exit ${code}): ${String(err)}\n${output}`))
      }
    })
  })
}

describe.skipIf(!built)('the built main bundle, on a fake Electron', () => {
  it('serves the page on app://, answers its own frame over IPC, refuses a foreign one, and quits cleanly', async () => {
    const { code, report, home } = await runMain({ FAKE_ELECTRON_PACKAGED: '1' })
    expect(report.errors).toEqual([])
    expect(code).toBe(0)
    expect(report.sandbox).toBe(true)
    expect(report.schemes).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })])
    expect(report.windows).toHaveLength(1)
    const [win] = report.windows
    expect(win!.url).toBe('app://porthole/index.html')
    expect(win!.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true })
    expect(win!.options.webPreferences.preload).toBe(path.join(root, 'out/preload/index.js'))
    expect(fs.existsSync(win!.options.webPreferences.preload as string)).toBe(true)
    expect(fs.existsSync(win!.options.icon as string)).toBe(true)
    expect(report.about).toEqual({ applicationName: 'Porthole', applicationVersion: '9.8.7', iconPath: win!.options.icon })

    const s = report.steps
    expect(s.page).toMatchObject({ status: 200, csp: CONTENT_SECURITY_POLICY })
    expect((s.page as { body: string }).body).toContain('<div id="root">')
    expect(s.info).toEqual({ ok: true, value: { name: 'Porthole', version: '9.8.7', platform: expect.any(String), transport: 'ipc' } })
    expect(s.foreign).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } })
    expect(s.settings).toMatchObject({ ok: true, value: { theme: 'dark' } })
    expect(s.events).toEqual([['porthole:event', 'settings.changed', expect.objectContaining({ theme: 'dark' })]])
    expect([s.windowOpen, s.navigationPrevented, s.permission]).toEqual([{ action: 'deny' }, true, false])
    expect(s.clipboard).toEqual({ own: true, foreign: false })
    expect(s.requests).toEqual({ own: false, internet: true, relay: false }) // cancel: only the internet
    expect(s.secondInstance).toEqual({ restored: true, visible: true, focused: true })
    expect(report.menu?.map((m) => m.label)).toEqual(expect.arrayContaining(['File', 'Edit', 'View', 'Window', 'Help']))
    // The vault glue: File › Lock Vault (greyed out, no vault yet) and safeStorage refusing a keyring-less Linux.
    expect(report.menu?.find((m) => m.label === 'File')?.items).toEqual([{ id: 'vault.lock', enabled: false }])
    expect(s.vault).toMatchObject({ ok: true, value: { state: 'absent', quickUnlock: { available: false, reason: expect.stringMatching(/keyring/) } } })
    // will-quit was held once for host.dispose(), then main quit again.
    expect(report.quitCalls).toBe(2)

    const prefs = JSON.parse(fs.readFileSync(path.join(home, 'userData/preferences.json'), 'utf8')) as Record<string, unknown>
    expect(prefs).toMatchObject({ settings: { theme: 'dark' }, window: { width: 1280, height: 800, maximized: false } })
    expect(fs.readFileSync(path.join(home, 'logs/main.log'), 'utf8')).toContain('IPC call refused')
  })

  it('restores the remembered window bounds and settings from preferences.json', async () => {
    const home = path.join(tmp, 'restore')
    fs.mkdirSync(path.join(home, 'userData'), { recursive: true })
    fs.writeFileSync(
      path.join(home, 'userData/preferences.json'),
      JSON.stringify({ window: { x: 100, y: 50, width: 1000, height: 700, maximized: false }, settings: { theme: 'light', layout: { sidebarWidth: 300, sidebarCollapsed: true } } }),
    )
    const { report } = await runMain({ FAKE_ELECTRON_PACKAGED: '1' }, home)
    expect(report.errors).toEqual([])
    expect(report.windows[0]!.options).toMatchObject({ x: 100, y: 50, width: 1000, height: 700 })
    // settings.set changed the theme only; the rest came from the file (consoleLayouts: the default).
    expect(report.steps.settings).toEqual({
      ok: true,
      value: { theme: 'dark', layout: { sidebarWidth: 300, sidebarCollapsed: true }, consoleLayouts: {} },
    })
  })

  it('starts with defaults when preferences.json is damaged, keeping the damaged file aside', async () => {
    const home = path.join(tmp, 'damaged')
    fs.mkdirSync(path.join(home, 'userData'), { recursive: true })
    fs.writeFileSync(path.join(home, 'userData/preferences.json'), '{"window": {"x": 1')
    const { code, report } = await runMain({ FAKE_ELECTRON_PACKAGED: '1' }, home)
    expect([code, report.errors]).toEqual([0, []])
    expect(report.windows).toHaveLength(1)
    expect(fs.readdirSync(path.join(home, 'userData')).some((f) => f.startsWith('preferences.json.damaged-'))).toBe(true)
  })

  it('leaves when another instance holds the lock, without opening a window', async () => {
    const { code, report } = await runMain({ FAKE_ELECTRON_PACKAGED: '1', FAKE_ELECTRON_LOCK: 'taken' })
    expect([code, report.errors, report.windows, report.quitCalls]).toEqual([0, [], [], 1])
  })

  it('loads the dev server in an unpacked app, and takes IPC from that origin only', async () => {
    const { report } = await runMain({ FAKE_ELECTRON_PACKAGED: '0', ELECTRON_RENDERER_URL: 'http://localhost:5173/' })
    expect(report.errors).toEqual([])
    expect(report.windows[0]!.url).toBe('http://localhost:5173/')
    expect(report.steps.page).toBeUndefined() // app:// is not served in development
    expect(report.steps.info).toMatchObject({ ok: true, value: { transport: 'ipc' } })
    expect(report.steps.foreign).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } })
  })

  it('ignores ELECTRON_RENDERER_URL in a packaged app', async () => {
    const { report } = await runMain({ FAKE_ELECTRON_PACKAGED: '1', ELECTRON_RENDERER_URL: 'https://evil.example/' })
    expect(report.errors).toEqual([])
    expect(report.windows[0]!.url).toBe('app://porthole/index.html')
  })
})
