// console: what the relay costs a console. First frame and frames per second of noVNC in Chromium
// on an animated QEMU screen, through the relay versus straight to QEMU's own websocket, in the
// same run, interleaved (test/helpers/rfb-console-bench.ts); then the relay's added latency per
// keystroke: RFB KeyEvents sent from a client and timestamped where the upstream receives them,
// through the relay (WebSocket in, TCP out, as for a plain VNC host) versus the same TCP upstream
// directly, interleaved A, B, A, B. Prints one JSON line per figure, and the targets:
// console.first_frame_ratio ≤ 1.15, console.fps_ratio ≥ 0.95.
import net from 'node:net'
import { WebSocket } from 'ws'
import { ConsoleRelay } from '../main/services/consoles/relay'
import { memoryLog } from '../main/services/log/log'
import { consoleBench } from '../test/helpers/rfb-console-bench'
import { median, percentile } from './statistics'

const ORIGIN = 'http://127.0.0.1:1'
const KEYS_PER_RUN = 400
const KEY_GAP_MS = 2
const RUNS = 6

const round = (n: number, d = 3): number => Number(n.toFixed(d))

/** A TCP upstream that records, per KeyEvent (8 bytes, the key's index in the keysym), when it arrived. */
async function keyUpstream(): Promise<{ port: number; arrivals: Map<number, bigint>; close(): Promise<void> }> {
  const arrivals = new Map<number, bigint>()
  const sockets = new Set<net.Socket>()
  const server = net.createServer((s) => {
    sockets.add(s)
    s.setNoDelay(true)
    let buf = Buffer.alloc(0)
    s.on('data', (chunk: Buffer) => {
      const at = process.hrtime.bigint()
      buf = Buffer.concat([buf, chunk])
      while (buf.length >= 8) {
        arrivals.set(buf.readUInt32BE(4), at)
        buf = buf.subarray(8)
      }
    })
    s.on('error', () => undefined)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return {
    port: (server.address() as net.AddressInfo).port,
    arrivals,
    close: () => {
      for (const s of sockets) s.destroy()
      return new Promise((r) => server.close(() => r()))
    },
  }
}

function keyEvent(index: number): Buffer {
  const b = Buffer.alloc(8)
  b.writeUInt8(4, 0)
  b.writeUInt8(1, 1)
  b.writeUInt32BE(index, 4)
  return b
}

/** Sends KEYS_PER_RUN key events with `send`, a few ms apart; returns each one's latency in ms. */
async function keyRun(send: (b: Buffer) => void, arrivals: Map<number, bigint>, base: number): Promise<number[]> {
  const sent = new Map<number, bigint>()
  for (let i = 0; i < KEYS_PER_RUN; i++) {
    const index = base + i
    sent.set(index, process.hrtime.bigint())
    send(keyEvent(index))
    await new Promise((r) => setTimeout(r, KEY_GAP_MS))
  }
  const deadline = Date.now() + 5000
  while ([...sent.keys()].some((k) => !arrivals.has(k))) {
    if (Date.now() > deadline) throw new Error('key events went missing')
    await new Promise((r) => setTimeout(r, 5))
  }
  return [...sent].map(([k, t]) => Number(arrivals.get(k)! - t) / 1e6)
}

async function keyLatency(print: (f: Record<string, unknown>) => void): Promise<void> {
  const upstream = await keyUpstream()
  const relay = new ConsoleRelay({ log: memoryLog(), allowedOrigins: () => [ORIGIN] })
  await relay.start()
  const direct = net.connect({ host: '127.0.0.1', port: upstream.port })
  direct.setNoDelay(true)
  await new Promise<void>((r) => direct.once('connect', () => r()))
  const reg = relay.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port: upstream.port }, protocol: 'rfb', label: 'bench' })
  const ws = new WebSocket(reg.url, { origin: ORIGIN, perMessageDeflate: false })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  // The relay opens the upstream after the upgrade: wait until the session is open.
  while (relay.session(reg.handle)?.state !== 'open') await new Promise((r) => setTimeout(r, 5))
  try {
    const a: number[][] = []
    const b: number[][] = []
    let base = 1
    // Warm-up, then interleaved runs.
    await keyRun((buf) => direct.write(buf), upstream.arrivals, (base += KEYS_PER_RUN))
    await keyRun((buf) => ws.send(buf), upstream.arrivals, (base += KEYS_PER_RUN))
    for (let i = 0; i < RUNS; i++) {
      a.push(await keyRun((buf) => direct.write(buf), upstream.arrivals, (base += KEYS_PER_RUN)))
      b.push(await keyRun((buf) => ws.send(buf), upstream.arrivals, (base += KEYS_PER_RUN)))
    }
    const p95s = (runs: number[][]): number[] => runs.map((r) => round(percentile(r, 95)))
    const medians = (runs: number[][]): number[] => runs.map((r) => round(median(r)))
    const relayP95 = median(p95s(b))
    const directP95 = median(p95s(a))
    print({
      bench: 'console.key_latency',
      relay_p95_ms: round(relayP95),
      direct_p95_ms: round(directP95),
      added_p95_ms: round(relayP95 - directP95),
      relay_median_ms: round(median(medians(b))),
      direct_median_ms: round(median(medians(a))),
      keys_per_run: KEYS_PER_RUN,
      relay_p95_runs: p95s(b),
      direct_p95_runs: p95s(a),
    })
    print({ bench: 'console.key_latency_p95_ms', value: round(relayP95), added_over_direct_tcp_ms: round(relayP95 - directP95) })
  } finally {
    ws.terminate()
    direct.destroy()
    await relay.stop()
    await upstream.close()
  }
}

async function main(): Promise<void> {
  const figures: Record<string, Record<string, unknown>> = {}
  const print = (f: Record<string, unknown>): void => {
    figures[String(f.bench)] = f
    console.log(JSON.stringify(f))
  }
  // More runs than the helper's default: medians steady on a shared, noisy machine.
  await consoleBench({ print, runs: 15, warmup: 3 })
  const ff = figures['console.first_frame']
  const fps = figures['console.fps']
  if (ff) print({ bench: 'console.first_frame_ratio', value: ff.ratio, target: '<= 1.15', met: Number(ff.ratio) <= 1.15 })
  if (fps) print({ bench: 'console.fps_ratio', value: fps.ratio, target: '>= 0.95', met: Number(fps.ratio) >= 0.95 })
  await keyLatency(print)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
