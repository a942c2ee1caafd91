import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test as base, expect, type Page } from '@playwright/test'
import { createClient, type PortholeApi } from '../../contract/client'
import { connectWebSocket, type WebSocketLike } from '../../contract/ws-client'
import { createFileLog } from '../../main/services/log/file-log'
import { TINY_KDF } from '../../main/services/vault/test-support'
import { startWebHost, type WebHost } from '../../main/web-host'
import { WebSocket } from 'ws'

const ROOT = path.resolve(__dirname, '../..')
/** The built renderer; `npm test` runs `electron-vite build` before the end-to-end tests. */
export const RENDERER_DIR = path.join(ROOT, 'out/renderer')
/** Where specs put the screenshots a person should look at. */
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results/screenshots')
/** The master password of the vault the fixture creates (option `vaultAtStart: 'unlocked'`). */
export const MASTER_PASSWORD = 'correct horse battery staple'

export interface Porthole {
  /** The page to open: the harness origin with the token in the fragment. */
  url: string
  origin: string
  /** The host's fresh data directory (settings.json, main.log). */
  dataDir: string
  host: WebHost
  /** A second client of the same host, from Node over the same transport: to check what the UI did. */
  api: PortholeApi
}

/** Per-spec settings of the host (`test.use({...})`). */
export interface PortholeOptions {
  /**
   * 'unlocked' (default): the fixture creates the vault with MASTER_PASSWORD before the page
   * opens, so the shell shows at once. 'absent': first run, the page shows "create a vault".
   */
  vaultAtStart: 'unlocked' | 'absent'
  /** How long an auto-lock "minute" lasts, in ms: auto-lock tests shorten it (the poll follows). */
  autoLockMinuteMs: number | undefined
  /** The variables the host's "import from environment" reads (never this process's own). */
  importEnv: Record<string, string>
  /** How long a console link stays valid unused, in ms (default the relay's 30 s): the idle-link test shortens it. */
  consoleLinkTtlMs: number | undefined
}

function readVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version?: unknown }
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0'
}

/** A Node client of the harness, presenting the page's origin as a browser would. */
async function nodeClient(host: WebHost): Promise<{ api: PortholeApi; close(): void }> {
  let socket: WebSocket | undefined
  const transport = await connectWebSocket(host.url.replace(/^http/, 'ws').replace(/\/#.*$/, '/porthole'), host.token, (u) => {
    socket = new WebSocket(u, { origin: host.origin })
    return socket as unknown as WebSocketLike
  })
  return { api: createClient(transport), close: () => socket?.close() }
}

export const test = base.extend<{ porthole: Porthole; pageErrors: string[] } & PortholeOptions>({
  vaultAtStart: ['unlocked', { option: true }],
  autoLockMinuteMs: [undefined, { option: true }],
  importEnv: [{}, { option: true }],
  consoleLinkTtlMs: [undefined, { option: true }],

  porthole: async ({ vaultAtStart, autoLockMinuteMs, importEnv, consoleLinkTtlMs }, use) => {
    if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
      throw new Error(`No built renderer in ${RENDERER_DIR}. Run \`npx electron-vite build\` (npm test does) before \`npx playwright test\`.`)
    }
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-e2e-'))
    const host = await startWebHost({
      rendererDir: RENDERER_DIR,
      dataDir,
      version: readVersion(),
      log: createFileLog(dataDir, { console: false }),
      // Argon2's minimum costs: the UI flows are the same, each unlock takes microseconds instead of ~0.6 s.
      vault: {
        kdf: TINY_KDF,
        ...(autoLockMinuteMs !== undefined ? { autoLockMinuteMs, autoLockPollMs: Math.max(50, Math.round(autoLockMinuteMs / 10)) } : {}),
      },
      // Imports look only inside the test's own directory; exports are cheap to seal.
      profiles: { env: importEnv, platform: 'linux', homeDir: path.join(dataDir, 'home'), cwd: dataDir, exportKdf: TINY_KDF },
      ...(consoleLinkTtlMs !== undefined ? { consoleLinkTtlMs } : {}),
    })
    const client = await nodeClient(host)
    try {
      if (vaultAtStart === 'unlocked') {
        const created = await client.api.call('vault.create', { password: MASTER_PASSWORD })
        if (!created.ok) throw new Error(`vault.create failed: ${created.error.code} ${created.error.message}`)
      }
      await use({ url: host.url, origin: host.origin, dataDir, host, api: client.api })
    } finally {
      client.close()
      await host.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  },

  /** Uncaught exceptions, console errors and CSP violations in the page; a spec asserts it stays empty. */
  pageErrors: async ({ page }, use) => {
    const errors: string[] = []
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`))
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`)
    })
    await use(errors)
  },
})

export { expect }

/** Saves a full-window screenshot under test-results/screenshots/<name>.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const file = path.join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path: file })
  return file
}
