// console-load: what background consoles cost, and how fast paste-as-keystrokes types.
// The built renderer in Debian's Chromium against the browser harness (main/web-host.ts), QEMU
// guests on the animated lab screen, plain VNC profiles. Renderer CPU is the page's main-thread
// task time (CDP Performance.getMetrics "TaskDuration") per wall second over a fixed window:
//   one   — one console tab open, visible;
//   eight — eight console tabs open, the last one visible (the others hidden tabs).
// console.hidden_tabs_cpu_ratio = eight / one (target <= 1.5). Then console.paste_chars_per_s: a
// 400-character paste into one QEMU guest, clocked from "Type it" until the guest's serial log
// shows every character (the run fails if any is missing).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Page } from '@playwright/test'
import { createClient } from '../contract/client'
import { connectWebSocket, type WebSocketLike } from '../contract/ws-client'
import { buildBootImage } from '../lab/consoles/boot-image'
import { startQemuVm, type QemuVm } from '../lab/consoles/qemu'
import { parseSerialKeys, SERIAL_BANNER } from '../lab/consoles/serial-log'
import { memoryLog } from '../main/services/log/log'
import { TINY_KDF } from '../main/services/vault/test-support'
import { startWebHost } from '../main/web-host'
import { WebSocket } from 'ws'

const ROOT = path.resolve(__dirname, '..')
const RENDERER_DIR = path.join(ROOT, 'out/renderer')
const TABS = 8
const WINDOW_MS = 10_000
const PASTE_CHARS = 400

const round = (n: number, d = 3): number => Number(n.toFixed(d))

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Renderer main-thread seconds per wall second over WINDOW_MS. */
async function cpuPerSecond(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  const task = async (): Promise<number> => {
    const { metrics } = await cdp.send('Performance.getMetrics')
    return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0
  }
  const t0 = await task()
  const w0 = Date.now()
  await new Promise((r) => setTimeout(r, WINDOW_MS))
  const t1 = await task()
  const seconds = (Date.now() - w0) / 1000
  await cdp.detach()
  return (t1 - t0) / seconds
}

async function openConsole(page: Page, name: string): Promise<void> {
  // From the VMs tab (the first): a focused console would take Ctrl+F for the guest.
  await page.getByRole('tab').first().click()
  await page.keyboard.press('Control+f')
  await page.getByRole('searchbox').fill(name)
  const row = page.getByRole('grid', { name: 'Virtual machines' }).getByRole('row').filter({ has: page.getByRole('gridcell', { name, exact: true }) })
  await row.waitFor({ timeout: 15_000 })
  await row.click()
  await page.keyboard.press('Enter')
  const state = page.getByRole('region', { name: `Console of ${name}` }).getByTestId('console-state')
  await until(`console of ${name} connected`, async () => /^Connected/.test((await state.textContent()) ?? ''))
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) throw new Error('No built renderer: run `npx electron-vite build` first.')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-console-load-'))
  const vms: QemuVm[] = []
  const host = await startWebHost({
    rendererDir: RENDERER_DIR,
    dataDir: path.join(dir, 'data'),
    version: '0.0.0',
    log: memoryLog(),
    vault: { kdf: TINY_KDF },
    profiles: { env: {}, platform: 'linux', homeDir: path.join(dir, 'home'), cwd: dir, exportKdf: TINY_KDF },
  })
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] })
  try {
    let socket: WebSocket | undefined
    const transport = await connectWebSocket(host.url.replace(/^http/, 'ws').replace(/\/#.*$/, '/porthole'), host.token, (u) => {
      socket = new WebSocket(u, { origin: host.origin })
      return socket as unknown as WebSocketLike
    })
    const api = createClient(transport)
    const created = await api.call('vault.create', { password: 'bench bench bench' })
    if (!created.ok) throw new Error(created.error.message)
    const animated = await buildBootImage(dir, { animate: true })
    for (let i = 0; i < TABS; i++) {
      const vm = await startQemuVm({ name: `load-${i}`, bootImage: animated, dir: path.join(dir, `vm-${i}`) })
      vms.push(vm)
      await vm.waitForSerial(SERIAL_BANNER)
      const added = await api.call('profiles.add', { kind: 'vnc', name: `Load ${i}`, host: '127.0.0.1', port: vm.vncPort, keyboardLayout: 'en-US' })
      if (!added.ok) throw new Error(added.error.message)
    }

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(host.url)
    await until('the shell on the websocket transport', async () => (await page.getByRole('contentinfo').getByTestId('transport').textContent()) === 'websocket')
    await openConsole(page, 'Load 0')
    await new Promise((r) => setTimeout(r, 2000))
    const one = await cpuPerSecond(page)
    console.log(JSON.stringify({ name: 'console.renderer_cpu_one_tab', value: round(one), unit: 's/s' }))
    for (let i = 1; i < TABS; i++) await openConsole(page, `Load ${i}`)
    await new Promise((r) => setTimeout(r, 2000))
    const eight = await cpuPerSecond(page)
    console.log(JSON.stringify({ name: 'console.renderer_cpu_eight_tabs', value: round(eight), unit: 's/s', visible: 1 }))
    console.log(JSON.stringify({ name: 'console.hidden_tabs_cpu_ratio', value: round(eight / one), target: '<= 1.5' }))

    // Paste into the visible console (the last one opened), every character checked in the guest.
    const vm = vms[TABS - 1]!
    const console_ = page.getByRole('region', { name: `Console of Load ${TABS - 1}` })
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-'
    const text = Array.from({ length: PASTE_CHARS }, (_, i) => alphabet[(i * 7) % alphabet.length]).join('')
    const before = parseSerialKeys(vm.serialLog()).text.length
    await console_.getByRole('button', { name: 'Paste as keys…' }).click()
    await console_.getByRole('dialog', { name: 'Paste as keystrokes' }).getByRole('textbox').fill(text)
    const t0 = Date.now()
    await console_.getByRole('button', { name: 'Type it' }).click()
    await until('every pasted character in the guest', () => parseSerialKeys(vm.serialLog()).text.length - before >= PASTE_CHARS, 120_000)
    const seconds = (Date.now() - t0) / 1000
    const typed = parseSerialKeys(vm.serialLog()).text.slice(before)
    if (typed !== text) throw new Error(`the guest got different text: ${JSON.stringify(typed.slice(0, 80))}…`)
    console.log(JSON.stringify({ name: 'console.paste_chars_per_s', value: round(PASTE_CHARS / seconds, 1), unit: 'chars/s', chars: PASTE_CHARS, all_arrived: true }))
    socket?.close()
  } finally {
    await browser.close()
    await Promise.allSettled(vms.map((v) => v.stop()))
    await host.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

void main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
