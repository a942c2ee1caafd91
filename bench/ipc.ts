// ipc: what the contract transport costs over the bare socket under it. The same client
// process talks to a server process holding the host's WebSocket transport and a bare
// `ws` echo server; `app.info` through the real browser client (contract/ws-client.ts) is
// timed against an echo of a frame the size of its reply, interleaved A,B,A,B after an
// equal warm-up, over several runs. Prints one JSON line per figure.
import { fork } from 'node:child_process'
import path from 'node:path'
import WebSocket from 'ws'
import type { ClientTransport } from '../contract/client'
import { connectWebSocket, type WebSocketLike } from '../contract/ws-client'
import type { IpcServers } from './ipc/servers'
import { median, print } from './statistics'

const WARMUP = 2_000
const RUNS = 7
const SAMPLES_PER_RUN = 1_500
const IN_FLIGHT = 32
/** Pipelined runs alternate short chunks of each path, so both see the same noise from the machine. */
const PIPELINED_RUNS = 5
const CHUNKS_PER_RUN = 8
const CALLS_PER_CHUNK = 2_500

type Once = () => Promise<void>

const round = (n: number, digits = 2): number => Number(n.toFixed(digits))

async function elapsedUs(once: Once): Promise<number> {
  const t0 = process.hrtime.bigint()
  await once()
  return Number(process.hrtime.bigint() - t0) / 1_000
}

/** `total` calls with `depth` of them in flight at any time; returns the seconds taken. */
async function pipelined(once: Once, total: number, depth: number): Promise<number> {
  let started = 0
  const lane = async (): Promise<void> => {
    while (started < total) {
      started++
      await once()
    }
  }
  const t0 = process.hrtime.bigint()
  await Promise.all(Array.from({ length: depth }, lane))
  return Number(process.hrtime.bigint() - t0) / 1e9
}

function startServers(): Promise<{ servers: IpcServers; stop(): Promise<void> }> {
  const child = fork(path.join(__dirname, 'ipc', 'servers.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`server process exited (${code}) before it was ready`)))
    child.once('message', (message) => {
      resolve({
        servers: message as IpcServers,
        async stop() {
          child.disconnect()
          await exited
        },
      })
    })
  })
}

async function transportPath(servers: IpcServers): Promise<{ once: Once; replyFrame: (id: number) => string; close(): void }> {
  let socket: WebSocket | undefined
  const transport: ClientTransport = await connectWebSocket(servers.transportUrl, servers.token, (url): WebSocketLike => {
    socket = new WebSocket(url, { origin: servers.origin })
    return socket
  })
  const first = await transport.invoke('app.info', {})
  if (!first.ok) throw new Error(`app.info failed: ${first.error.message}`)
  const value = first.value
  return {
    async once() {
      const result = await transport.invoke('app.info', {})
      if (!result.ok) throw new Error(`app.info failed: ${result.error.message}`)
    },
    // Exactly the frame the host sends back for app.info.
    replyFrame: (id) => JSON.stringify({ type: 'result', id, ok: true, value }),
    close: () => socket?.close(),
  }
}

/** A client of the bare echo server that, like the real client, serializes and parses JSON per frame. */
async function echoPath(servers: IpcServers, frame: (id: number) => string): Promise<{ once: Once; close(): void }> {
  const ws = new WebSocket(servers.echoUrl)
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  // Replies come back in order, so a FIFO of waiters matches them without ids.
  const waiting: (() => void)[] = []
  ws.on('message', (data) => {
    JSON.parse(String(data))
    waiting.shift()?.()
  })
  let id = 0
  return {
    once() {
      return new Promise<void>((resolve) => {
        waiting.push(resolve)
        ws.send(frame(++id))
      })
    },
    close: () => ws.close(),
  }
}

async function main(): Promise<void> {
  const t0 = Date.now()
  const { servers, stop } = await startServers()
  const transport = await transportPath(servers)
  const echo = await echoPath(servers, transport.replyFrame)
  const frameBytes = Buffer.byteLength(transport.replyFrame(1_000))

  for (let i = 0; i < WARMUP; i++) {
    await transport.once()
    await echo.once()
  }
  await pipelined(transport.once, CALLS_PER_CHUNK * 2, IN_FLIGHT)
  await pipelined(echo.once, CALLS_PER_CHUNK * 2, IN_FLIGHT)

  const callP50: number[] = []
  const echoP50: number[] = []
  const ratios: number[] = []
  for (let run = 0; run < RUNS; run++) {
    const a: number[] = []
    const b: number[] = []
    for (let i = 0; i < SAMPLES_PER_RUN; i++) {
      a.push(await elapsedUs(transport.once))
      b.push(await elapsedUs(echo.once))
    }
    callP50.push(median(a))
    echoP50.push(median(b))
    ratios.push(median(a) / median(b))
  }

  const callRates: number[] = []
  const echoRates: number[] = []
  for (let run = 0; run < PIPELINED_RUNS; run++) {
    let callSeconds = 0
    let echoSeconds = 0
    for (let chunk = 0; chunk < CHUNKS_PER_RUN; chunk++) {
      callSeconds += await pipelined(transport.once, CALLS_PER_CHUNK, IN_FLIGHT)
      echoSeconds += await pipelined(echo.once, CALLS_PER_CHUNK, IN_FLIGHT)
    }
    callRates.push((CHUNKS_PER_RUN * CALLS_PER_CHUNK) / callSeconds)
    echoRates.push((CHUNKS_PER_RUN * CALLS_PER_CHUNK) / echoSeconds)
  }

  transport.close()
  echo.close()
  await stop()

  const setup = { server: 'child process', client: 'contract/ws-client over ws', frame_bytes: frameBytes, node: process.version }
  const ratio = median(ratios)
  print({
    bench: 'ipc.roundtrip_ratio_p50',
    value: round(ratio),
    unit: 'ratio',
    target: '<=1.5',
    met: ratio <= 1.5,
    min: round(Math.min(...ratios)),
    max: round(Math.max(...ratios)),
    runs: ratios.map((r) => round(r)),
    samples_per_run: SAMPLES_PER_RUN,
    ...setup,
  })
  print({ bench: 'ipc.roundtrip_p50_us', value: round(median(callP50), 1), unit: 'us', runs: callP50.map((v) => round(v, 1)), call: 'app.info' })
  print({ bench: 'ipc.echo_p50_us', value: round(median(echoP50), 1), unit: 'us', runs: echoP50.map((v) => round(v, 1)) })
  const callRate = median(callRates)
  const echoRate = median(echoRates)
  const pipelining = { in_flight: IN_FLIGHT, chunks_per_run: CHUNKS_PER_RUN, calls_per_chunk: CALLS_PER_CHUNK }
  print({ bench: 'ipc.calls_per_s', value: Math.round(callRate), unit: 'calls/s', ...pipelining, runs: callRates.map(Math.round) })
  print({ bench: 'ipc.echo_per_s', value: Math.round(echoRate), unit: 'frames/s', ...pipelining, runs: echoRates.map(Math.round) })
  // Per run, like the latency ratio: the two sides of a run share the machine's state of the moment.
  const throughputRatios = callRates.map((rate, i) => (echoRates[i] as number) / rate)
  print({
    bench: 'ipc.throughput_ratio',
    value: round(median(throughputRatios)),
    unit: 'ratio',
    definition: 'echo_per_s / calls_per_s, per run: 1 means the contract costs nothing over the bare socket',
    runs: throughputRatios.map((r) => round(r)),
  })
  print({ bench: 'ipc.duration_s', value: round((Date.now() - t0) / 1000, 1), unit: 's' })
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
