// The real client against the relay: noVNC 1.7 (the renderer's RFB client) in Debian's
// Chromium connects through the relay to QEMU and to the built-in RFB server, draws the
// known screens, and its keys (QEMU extended key events, Ctrl+Alt+Del) reach the guest.
import fs from 'node:fs'
import http from 'node:http'
import type net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from '@playwright/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildBootImage } from '../../lab/consoles/boot-image'
import { qemuVersion, startQemuVm, type QemuVm } from '../../lab/consoles/qemu'
import { startRfbServer, type RfbServer } from '../../lab/consoles/rfb-server'
import { SERIAL_BANNER, parseSerialKeys } from '../../lab/consoles/serial-log'
import { BAR_COLOURS } from '../../lab/consoles/test-pattern'
import { ConsoleRelay } from '../../main/services/consoles/relay'
import { memoryLog } from '../../main/services/log/log'

const CHROMIUM = '/usr/bin/chromium'
const qemu = await qemuVersion()
const haveChromium = fs.existsSync(CHROMIUM)
if (!haveChromium) console.warn(`console-novnc: SKIPPED, no Chromium at ${CHROMIUM}`)
if (!qemu) console.warn('console-novnc: QEMU cases SKIPPED, qemu-system-x86_64 is not installed')

const NOVNC_DIR = path.resolve(__dirname, '../../node_modules/@novnc/novnc')
const PAGE = `<!doctype html><meta charset="utf-8"><div id="screen" style="width:800px;height:500px"></div>
<script type="module">import RFB from '/novnc/core/rfb.js'; window.RFB = RFB; window.ready = true</script>`

/** What the test page's code uses; the node project has no DOM types, and needs none but these. */
interface NoVnc extends EventTarget {
  sendKey(keysym: number, code: string): void
  sendCtrlAltDel(): void
  disconnect(): void
}
interface PageGlobals {
  RFB: new (target: unknown, url: string) => NoVnc
  rfb: NoVnc
  ready?: boolean
  document: {
    getElementById(id: string): unknown
    querySelector(selector: string): { getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null } | null
  }
}

/** Serves the test page and noVNC's own ES modules, as they ship (no bundler). */
async function pageServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE)
    const file = path.resolve(NOVNC_DIR, '.' + url.pathname.replace(/^\/novnc/, ''))
    if (!url.pathname.startsWith('/novnc/') || !file.startsWith(NOVNC_DIR + path.sep) || !fs.existsSync(file)) {
      return void res.writeHead(404).end()
    }
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(fs.readFileSync(file))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return {
    origin: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  }
}

/** Connects noVNC in the page; resolves with the milliseconds to its 'connect' event. */
function connect(page: Page, url: string): Promise<number> {
  return page.evaluate(async (relayUrl) => {
    const w = globalThis as unknown as PageGlobals
    const t0 = performance.now()
    const rfb = new w.RFB(w.document.getElementById('screen'), relayUrl)
    w.rfb = rfb
    await new Promise((resolve, reject) => {
      rfb.addEventListener('connect', resolve)
      rfb.addEventListener('disconnect', () => reject(new Error('noVNC disconnected')))
      rfb.addEventListener('credentialsrequired', () => reject(new Error('noVNC was asked for credentials')))
    })
    return performance.now() - t0
  }, url)
}

/** Waits until noVNC's canvas shows colour at (x, y). */
async function waitForPixel(page: Page, x: number, y: number, colour: number): Promise<void> {
  const rgb = [(colour >> 16) & 0xff, (colour >> 8) & 0xff, colour & 0xff]
  await page.waitForFunction(
    ([px, py, want]) => {
      const canvas = (globalThis as unknown as PageGlobals).document.querySelector('#screen canvas')
      const data = canvas?.getContext('2d')?.getImageData(px as number, py as number, 1, 1).data
      return !!data && (want as number[]).every((v, i) => data[i] === v)
    },
    [x, y, rgb] as const,
    { timeout: 10_000 },
  )
}

async function disconnect(page: Page): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as PageGlobals).rfb.disconnect())
}

describe.skipIf(!haveChromium)('noVNC through the relay', () => {
  let browser: Browser
  let page: Page
  let site: Awaited<ReturnType<typeof pageServer>>
  let relay: ConsoleRelay
  let rfb: RfbServer
  let dir: string
  let vm: QemuVm | undefined

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-novnc-'))
    site = await pageServer()
    relay = new ConsoleRelay({ log: memoryLog(), allowedOrigins: () => [site.origin] })
    await relay.start()
    rfb = await startRfbServer({ name: 'novnc-builtin' })
    if (qemu) {
      vm = await startQemuVm({ name: 'novnc-qemu', bootImage: await buildBootImage(dir), dir: path.join(dir, 'vm'), password: 'pw' })
      await vm.waitForSerial(SERIAL_BANNER)
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    page = await browser.newPage()
    await page.goto(site.origin + '/')
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).ready === true)
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await vm?.stop()
    await rfb?.close()
    await relay?.stop()
    await site?.close()
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  })

  it('draws the built-in test pattern and sends keysyms', async () => {
    const reg = relay.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port: rfb.port }, protocol: 'rfb' })
    await connect(page, reg.url)
    await waitForPixel(page, 40, 120, BAR_COLOURS[0])
    await waitForPixel(page, 520, 120, BAR_COLOURS[6])
    await page.evaluate(() => (globalThis as unknown as PageGlobals).rfb.sendKey(0x71, 'KeyQ'))
    const deadline = Date.now() + 5000
    while (rfb.keys.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(rfb.keys.map((k) => [k.keysym, k.down])).toEqual([[0x71, true], [0x71, false]])
    expect(relay.session(reg.handle)?.state).toBe('open')
    await disconnect(page)
    const end = Date.now() + 5000
    while (relay.session(reg.handle)?.state !== 'closed' && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
    expect(relay.session(reg.handle)?.closedBy).toBe('renderer')
  })

  it.skipIf(!qemu)('draws QEMU\'s known screen with the password answered in main, and types into the guest', async () => {
    const reg = relay.register({
      upstream: { kind: 'tcp', host: '127.0.0.1', port: vm!.vncPort },
      protocol: 'rfb',
      vncPassword: 'pw',
    })
    await connect(page, reg.url)
    await waitForPixel(page, 360, 48, 0x0000a8)
    await waitForPixel(page, 360, 144, 0x00a800)
    await waitForPixel(page, 360, 240, 0xa80000)
    const start = parseSerialKeys(vm!.serialLog()).scancodes.length
    await page.evaluate(() => {
      const r = (globalThis as unknown as PageGlobals).rfb
      r.sendKey(0x6b, 'KeyK')
      r.sendCtrlAltDel()
    })
    const deadline = Date.now() + 10_000
    while (parseSerialKeys(vm!.serialLog()).scancodes.length < start + 10 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25))
    }
    expect(parseSerialKeys(vm!.serialLog()).scancodes.slice(start)).toEqual([
      0x25, 0xa5, // k, as a QEMU extended key event
      0x1d, 0x38, 0xe0, 0x53, 0xe0, 0xd3, 0xb8, 0x9d, // Ctrl+Alt+Del
    ])
    await disconnect(page)
  })
})
