import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test as base, expect, type Page } from '@playwright/test'
import { createClient, type PortholeApi } from '../../contract/client'
import { connectWebSocket, type WebSocketLike } from '../../contract/ws-client'
import { createFileLog } from '../../main/services/log/file-log'
import { startWebHost, type WebHost } from '../../main/web-host'
import { WebSocket } from 'ws'

const ROOT = path.resolve(__dirname, '../..')
/** The built renderer; `npm test` runs `electron-vite build` before the end-to-end tests. */
export const RENDERER_DIR = path.join(ROOT, 'out/renderer')
/** Where specs put the screenshots a person should look at. */
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results/screenshots')

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

export const test = base.extend<{ porthole: Porthole; pageErrors: string[] }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from the pattern.
  porthole: async ({}, use) => {
    if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
      throw new Error(`No built renderer in ${RENDERER_DIR}. Run \`npx electron-vite build\` (npm test does) before \`npx playwright test\`.`)
    }
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-e2e-'))
    const host = await startWebHost({
      rendererDir: RENDERER_DIR,
      dataDir,
      version: readVersion(),
      log: createFileLog(dataDir, { console: false }),
    })
    const client = await nodeClient(host)
    try {
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
