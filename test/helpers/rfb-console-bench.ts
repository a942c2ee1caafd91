// The console benchmark's measuring part (TESTING.md, "Benchmarks"): noVNC 1.7 in Debian's
// Chromium, the same build and options on both paths, against one QEMU running the animated
// lab image. "direct" is QEMU's own websocket; "relay" is the console relay reading the
// same QEMU's VNC port. Paths are interleaved A, B, A, B after an equal warm-up. First frame
// is clocked from `new RFB(...)` to the first canvas draw that shows the blue band; fps
// counts changes of the animated cell seen by requestAnimationFrame over a fixed window.
// A bench/ entry runs it: `void consoleBench().catch(...)`.
import fs from 'node:fs'
import http from 'node:http'
import type net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { chromium } from '@playwright/test'
import { buildBootImage } from '../../lab/consoles/boot-image'
import { startQemuVm } from '../../lab/consoles/qemu'
import { SERIAL_BANNER } from '../../lab/consoles/serial-log'
import { ConsoleRelay } from '../../main/services/consoles/relay'
import { memoryLog } from '../../main/services/log/log'

const NOVNC_DIR = path.resolve(__dirname, '../../node_modules/@novnc/novnc')
/**
 * The page: noVNC as it ships, and the measuring code in plain JavaScript (it runs in the
 * browser, so it stays out of the TypeScript build and out of tsx's transforms).
 */
const PAGE = `<!doctype html><meta charset="utf-8"><div id="screen" style="width:800px;height:500px"></div>
<script type="module">
import RFB from '/novnc/core/rfb.js'
const ctx = () => document.querySelector('#screen canvas')?.getContext('2d') ?? null
window.benchOnce = async (url, windowMs) => {
  const t0 = performance.now()
  const rfb = new RFB(document.getElementById('screen'), url)
  // Clock the first drawn frame where it is drawn: noVNC flips its back buffer onto the
  // visible canvas with drawImage (or putImageData); check the band after each such call.
  const firstFrameMs = await new Promise((resolve, reject) => {
    rfb.addEventListener('disconnect', () => reject(new Error('disconnected')))
    const proto = CanvasRenderingContext2D.prototype
    const originals = { drawImage: proto.drawImage, putImageData: proto.putImageData }
    const restore = () => Object.assign(proto, originals)
    for (const name of Object.keys(originals)) {
      proto[name] = function (...args) {
        const result = originals[name].apply(this, args)
        if (this.canvas === document.querySelector('#screen canvas') && this.getImageData(360, 48, 1, 1).data[2] === 168) {
          restore()
          resolve(performance.now() - t0)
        }
        return result
      }
    }
  })
  // Frames per second: distinct contents of the animated cell, sampled every animation frame.
  const fps = await new Promise((resolve) => {
    let last = ''
    let changes = 0
    const end = performance.now() + windowMs
    const tick = () => {
      const d = ctx()?.getImageData(711, 304, 9, 16).data
      const sig = d ? Array.from(d).join(',') : ''
      if (sig !== last) changes++
      last = sig
      if (performance.now() < end) requestAnimationFrame(tick)
      else resolve(changes / (windowMs / 1000))
    }
    requestAnimationFrame(tick)
  })
  rfb.disconnect()
  return { firstFrameMs, fps }
}
window.ready = true
</script>`

interface BenchGlobals {
  ready?: boolean
  benchOnce(url: string, windowMs: number): Promise<{ firstFrameMs: number; fps: number }>
}

export interface ConsoleBenchOptions {
  runs?: number
  warmup?: number
  fpsWindowMs?: number
  print?: (figure: Record<string, unknown>) => void
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** Runs the benchmark and prints one JSON line per figure. */
export async function consoleBench(options: ConsoleBenchOptions = {}): Promise<void> {
  const { runs = 9, warmup = 2, fpsWindowMs = 3000, print = (f) => console.log(JSON.stringify(f)) } = options
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-'))
  const site = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE)
    const file = path.resolve(NOVNC_DIR, '.' + url.pathname.replace(/^\/novnc/, ''))
    if (!file.startsWith(NOVNC_DIR + path.sep) || !fs.existsSync(file)) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(fs.readFileSync(file))
  })
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()))
  const origin = `http://127.0.0.1:${(site.address() as net.AddressInfo).port}`
  const relay = new ConsoleRelay({ log: memoryLog(), allowedOrigins: () => [origin] })
  await relay.start()
  const vm = await startQemuVm({
    name: 'bench',
    bootImage: await buildBootImage(dir, { animate: true }),
    dir: path.join(dir, 'vm'),
    websocket: true,
  })
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    await vm.waitForSerial(SERIAL_BANNER)
    const page = await browser.newPage()
    await page.goto(origin + '/')
    await page.waitForFunction(() => (globalThis as unknown as BenchGlobals).ready === true)

    const once = (url: string): Promise<{ firstFrameMs: number; fps: number }> =>
      page.evaluate(([target, windowMs]) => (globalThis as unknown as BenchGlobals).benchOnce(target, windowMs), [url, fpsWindowMs] as const)
    const direct = (): Promise<{ firstFrameMs: number; fps: number }> => once(`ws://127.0.0.1:${vm.websocketPort}/`)
    const viaRelay = (): Promise<{ firstFrameMs: number; fps: number }> =>
      once(relay.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port: vm.vncPort }, protocol: 'rfb' }).url)

    for (let i = 0; i < warmup; i++) {
      await direct()
      await viaRelay()
    }
    const a: Array<{ firstFrameMs: number; fps: number }> = []
    const b: Array<{ firstFrameMs: number; fps: number }> = []
    for (let i = 0; i < runs; i++) {
      a.push(await direct())
      b.push(await viaRelay())
    }
    const round = (n: number): number => Number(n.toFixed(1))
    const ff = (xs: typeof a): number[] => xs.map((x) => round(x.firstFrameMs))
    const fps = (xs: typeof a): number[] => xs.map((x) => round(x.fps))
    print({
      bench: 'console.first_frame',
      relay_ms: round(median(ff(b))),
      direct_ms: round(median(ff(a))),
      ratio: Number((median(ff(b)) / median(ff(a))).toFixed(2)),
      relay_min: Math.min(...ff(b)),
      relay_max: Math.max(...ff(b)),
      direct_min: Math.min(...ff(a)),
      direct_max: Math.max(...ff(a)),
      relay_runs: ff(b),
      direct_runs: ff(a),
    })
    print({
      bench: 'console.fps',
      relay_fps: round(median(fps(b))),
      direct_fps: round(median(fps(a))),
      ratio: Number((median(fps(b)) / median(fps(a))).toFixed(2)),
      relay_runs: fps(b),
      direct_runs: fps(a),
    })
  } finally {
    await browser.close()
    await vm.stop()
    await relay.stop()
    await new Promise((r) => site.close(() => r(undefined)))
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
