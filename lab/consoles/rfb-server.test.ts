import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { RfbClient } from '../../test/helpers/rfb-client'
import { memoryLog } from '../../main/services/log/log'
import { startRfbServer, type ReceivedKey, type RfbServer } from './rfb-server'
import { BACKGROUND, BAR_COLOURS, BAR_HEIGHT, BAR_WIDTH, CLOCK_AT, NAME_AT, TYPED_AT } from './test-pattern'

let server: RfbServer | undefined
const clients: RfbClient[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.close()
  await server?.close()
  server = undefined
})

async function connect(port: number, options: Parameters<typeof RfbClient.tcp>[1] = {}): Promise<RfbClient> {
  const c = await RfbClient.tcp(port, options)
  clients.push(c)
  return c
}

/** Non-background pixels in a rectangle: how much text is drawn there. */
function lit(c: RfbClient, x0: number, y0: number, w: number, h: number, colour: number): number {
  let n = 0
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) if (c.pixel(x, y) === colour) n++
  return n
}

describe('built-in RFB server', () => {
  it('completes the RFB 3.8 handshake with security None and draws the test pattern', async () => {
    server = await startRfbServer({ name: 'web-01', now: () => new Date('2026-01-02T03:04:05Z') })
    const c = await connect(server.port)
    expect([c.width, c.height, c.name]).toEqual([640, 480, 'web-01'])
    await c.waitFor(() => c.updates > 0, 'the first frame')
    BAR_COLOURS.forEach((colour, i) => {
      expect(c.pixel(i * BAR_WIDTH + BAR_WIDTH / 2, BAR_HEIGHT / 2)).toBe(colour)
      expect(c.pixel(i * BAR_WIDTH, 0)).toBe(colour)
      expect(c.pixel(i * BAR_WIDTH + BAR_WIDTH - 1, BAR_HEIGHT - 1)).toBe(colour)
    })
    expect(c.pixel(600, 470)).toBe(BACKGROUND)
    // The name is drawn: 'W' starts with a lit column at its left edge, top row.
    expect(c.pixel(NAME_AT.x, NAME_AT.y)).toBe(NAME_AT.colour)
    expect(lit(c, NAME_AT.x, NAME_AT.y, 6 * 24, 28, NAME_AT.colour)).toBeGreaterThan(500)
    // The clock shows 03:04:05; '0' has a lit pixel in its top row at column 1.
    expect(c.pixel(CLOCK_AT.x + 1 * CLOCK_AT.scale, CLOCK_AT.y)).toBe(CLOCK_AT.colour)
    expect(lit(c, CLOCK_AT.x, CLOCK_AT.y, 8 * 24, 28, CLOCK_AT.colour)).toBeGreaterThan(500)
  })

  it('sends incremental updates when the clock ticks, and only the clock changes', async () => {
    server = await startRfbServer({ name: 'clock' })
    const c = await connect(server.port)
    await c.waitFor(() => c.updates > 0, 'the first frame')
    const first = c.updates
    const bars = c.pixel(40, 40)
    await c.waitFor(() => c.updates > first, 'a clock update', 5000)
    expect(c.pixel(40, 40)).toBe(bars)
  })

  it('reports key events through the callback and the log, and echoes them on screen', async () => {
    const received: ReceivedKey[] = []
    const log = memoryLog()
    server = await startRfbServer({ name: 'keys', onKey: (k) => received.push(k), log })
    const c = await connect(server.port)
    await c.waitFor(() => c.updates > 0, 'the first frame')
    c.type('Ab1')
    c.key(0xff08, true) // BackSpace removes the '1'
    c.key(0xff08, false)
    await c.waitFor(() => received.length === 10, 'ten key events')
    expect(received.map((k) => [k.keysym, k.down])).toEqual([
      [0xffe1, true], [0x41, true], [0x41, false], [0xffe1, false],
      [0x62, true], [0x62, false], [0x31, true], [0x31, false],
      [0xff08, true], [0xff08, false],
    ])
    expect(received.every((k) => k.connection === 1)).toBe(true)
    expect(server.keys).toEqual(received)
    expect(server.pattern.typedText()).toBe('Ab')
    expect(log.lines.some((l) => l.includes('"keysym":"0x41"') && l.includes('"down":true'))).toBe(true)
    await c.waitFor(() => lit(c, TYPED_AT.x, TYPED_AT.y, 2 * 18, 21, TYPED_AT.colour) > 50, 'the typed text on screen')
    expect(lit(c, TYPED_AT.x + 2 * 18, TYPED_AT.y, 18, 21, TYPED_AT.colour)).toBe(0)
  })

  it('honours SetPixelFormat: 32 bpp big endian with other shifts, and 16 bpp 565', async () => {
    server = await startRfbServer({ name: 'formats' })
    const bgr = await connect(server.port, {
      pixelFormat: {
        bitsPerPixel: 32, depth: 24, bigEndian: true, trueColour: true,
        redMax: 255, greenMax: 255, blueMax: 255, redShift: 0, greenShift: 8, blueShift: 16,
      },
    })
    const rgb565 = await connect(server.port, {
      pixelFormat: {
        bitsPerPixel: 16, depth: 16, bigEndian: false, trueColour: true,
        redMax: 31, greenMax: 63, blueMax: 31, redShift: 11, greenShift: 5, blueShift: 0,
      },
    })
    await bgr.waitFor(() => bgr.updates > 0, 'a frame')
    await rgb565.waitFor(() => rgb565.updates > 0, 'a frame')
    BAR_COLOURS.forEach((colour, i) => {
      expect(bgr.pixel(i * BAR_WIDTH + 10, 10)).toBe(colour)
      expect(rgb565.pixel(i * BAR_WIDTH + 10, 10)).toBe(colour) // bar colours are exact in 565
    })
  })

  it('requires VNC Authentication when a password is set, and checks it', async () => {
    server = await startRfbServer({ name: 'locked', password: 's3cret' })
    await expect(RfbClient.tcp(server.port)).rejects.toThrow(/not 1/)
    await expect(RfbClient.tcp(server.port, { password: 'wrong' })).rejects.toThrow(/Authentication failed/)
    const c = await connect(server.port, { password: 's3cret' })
    await c.waitFor(() => c.updates > 0, 'a frame')
    server.setPassword(undefined)
    await connect(server.port)
  })

  it('refuses a client that speaks another protocol version', async () => {
    server = await startRfbServer({ name: 'v' })
    const socket = net.connect({ host: '127.0.0.1', port: server.port })
    const got: Buffer[] = []
    socket.on('data', (d: Buffer) => got.push(d))
    socket.write('RFB 004.000\n')
    await new Promise<void>((resolve) => socket.on('close', () => resolve()))
    expect(Buffer.concat(got).toString('latin1')).toBe('RFB 003.008\n')
  })
})

describe('built-in RFB server fault knobs', () => {
  /** What a raw client reads, step by step: `read` bytes, then it writes `then` (if any). */
  function raw(port: number, steps: Array<{ read: number; then?: string }>): Promise<Buffer[]> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port })
      let buffer = Buffer.alloc(0)
      const out: Buffer[] = []
      socket.on('error', reject)
      socket.on('data', (chunk) => {
        buffer = Buffer.concat([buffer, chunk])
        while (steps[0] && buffer.length >= steps[0].read) {
          const step = steps.shift()!
          out.push(buffer.subarray(0, step.read))
          buffer = buffer.subarray(step.read)
          if (step.then !== undefined) socket.write(step.then)
        }
        if (steps.length === 0) {
          socket.destroy()
          resolve(out)
        }
      })
    })
  }

  it('sends another banner, or offers only security types it does not implement, then heals', async () => {
    server = await startRfbServer({ name: 'faulty', faults: { banner: 'SSH-2.0-OpenSSH_9.2p1\r\n' } })
    const [banner] = await raw(server.port, [{ read: 23 }])
    expect(banner!.toString('latin1')).toBe('SSH-2.0-OpenSSH_9.2p1\r\n')

    server.setFaults({ securityTypes: [19, 6] })
    const [version, types] = await raw(server.port, [{ read: 12, then: 'RFB 003.008\n' }, { read: 3 }])
    expect(version!.toString('latin1')).toBe('RFB 003.008\n')
    expect([...types!]).toEqual([2, 19, 6])

    server.setFaults({})
    const c = await connect(server.port)
    expect(c.name).toBe('faulty')
  })
})
