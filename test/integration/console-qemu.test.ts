// QEMU as a real VNC server and serial port (lab/consoles): the known screen, keys typed as
// keysyms and as QEMU extended key events read back from the serial log, VNC passwords
// over QMP, and the relay in front of it. QEMU is installed here and in CI; elsewhere
// the file skips with a message.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { buildBootImage } from '../../lab/consoles/boot-image'
import { qemuVersion, startQemuVm, type QemuVm } from '../../lab/consoles/qemu'
import { SERIAL_BANNER, parseSerialKeys } from '../../lab/consoles/serial-log'
import { ConsoleRelay } from '../../main/services/consoles/relay'
import { memoryLog } from '../../main/services/log/log'
import { RfbClient } from '../helpers/rfb-client'

const version = await qemuVersion()
if (!version) console.warn('console-qemu: SKIPPED, qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)')

/** The known screen (lab/consoles/boot/boot.S): VGA text mode, 720x400, 9x16 cells. */
const BLUE = 0x0000a8
const GREEN = 0x00a800
const RED = 0xa80000
const BLACK = 0x000000
const WHITE = 0xffffff
const ORIGIN = 'http://127.0.0.1:5173'

let dir: string
let image: string
beforeAll(async () => {
  if (!version) return
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-qemu-'))
  image = await buildBootImage(dir)
})
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

async function keysInSerial(vm: QemuVm, count: number): Promise<ReturnType<typeof parseSerialKeys>> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const keys = parseSerialKeys(vm.serialLog())
    if (keys.scancodes.length >= count) return keys
    if (Date.now() > deadline) throw new Error(`serial log has ${keys.scancodes.length} of ${count} scancodes: ${JSON.stringify(vm.serialLog())}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** Pixels of one colour in a text cell (9x16) of the echo area. */
function litInCell(c: RfbClient, row: number, col: number, colour: number): number {
  let n = 0
  for (let y = row * 16; y < row * 16 + 16; y++) for (let x = col * 9; x < col * 9 + 9; x++) if (c.pixel(x, y) === colour) n++
  return n
}

describe.skipIf(!version)('QEMU console source', () => {
  let vm: QemuVm
  let client: RfbClient
  beforeAll(async () => {
    vm = await startQemuVm({ name: 'qemu-demo', bootImage: image, dir: path.join(dir, 'a'), websocket: true })
    await vm.waitForSerial(SERIAL_BANNER)
    client = await RfbClient.tcp(vm.vncPort, { qemuKeys: true })
  })
  afterAll(async () => {
    client?.close()
    await vm?.stop()
  })

  it('paints the known screen: blue, green and red bands over a black echo area', async () => {
    expect(client.name).toBe('QEMU (qemu-demo)')
    await client.waitFor(() => client.width === 720 && client.pixel(360, 48) === BLUE, 'the blue band')
    expect([client.width, client.height]).toEqual([720, 400])
    const expectBand = (y0: number, y1: number, colour: number): void => {
      for (const y of [y0, (y0 + y1) >> 1, y1]) for (const x of [0, 360, 719]) expect(client.pixel(x, y), `(${x},${y})`).toBe(colour)
    }
    expectBand(0, 95, BLUE)
    expectBand(96, 191, GREEN)
    expectBand(192, 287, RED)
    expectBand(288, 399 - 16 * 5, BLACK) // below the bands, above the echo rows (which are blank yet)
    // The banner on row 18 from col 2: grey text on black.
    expect(litInCell(client, 18, 2, 0xa8a8a8)).toBeGreaterThan(10)
    expect(litInCell(client, 18, 1, 0xa8a8a8)).toBe(0)
  })

  it('reports keysyms as the scancodes QEMU maps them to, with the typed text', async () => {
    const start = parseSerialKeys(vm.serialLog()).scancodes.length
    client.type('Hi! x')
    const keys = await keysInSerial(vm, start + 14)
    expect(keys.scancodes.slice(start)).toEqual([0x2a, 0x23, 0xa3, 0xaa, 0x17, 0x97, 0x2a, 0x02, 0x82, 0xaa, 0x39, 0xb9, 0x2d, 0xad])
    expect(keys.text).toBe('Hi! x')
    // Echoed on screen, white, from row 20 col 0.
    await client.waitFor(() => litInCell(client, 20, 4, WHITE) > 5, 'the echo of x')
    for (let col = 0; col < 5; col++) if (col !== 3) expect(litInCell(client, 20, col, WHITE), `col ${col}`).toBeGreaterThan(5)
    expect(litInCell(client, 20, 3, WHITE)).toBe(0) // the space
  })

  it('passes QEMU extended key events through as exact scancodes (Ctrl+Alt+Del, arrows)', async () => {
    await client.waitFor(() => client.qemuKeysAcked, 'QEMU to acknowledge the extended key event')
    const start = parseSerialKeys(vm.serialLog()).scancodes.length
    const combo: Array<[number, number]> = [
      [0xffe3, 0x1d], // Control_L
      [0xffe9, 0x38], // Alt_L
      [0xffff, 0xe053], // Delete
    ]
    for (const [keysym, scancode] of combo) client.qemuKey(keysym, scancode, true)
    for (const [keysym, scancode] of [...combo].reverse()) client.qemuKey(keysym, scancode, false)
    client.qemuKey(0xff52, 0xe048, true) // Up
    client.qemuKey(0xff52, 0xe048, false)
    client.qemuKey(0x61, 0x1e, true) // a
    client.qemuKey(0x61, 0x1e, false)
    const keys = await keysInSerial(vm, start + 14)
    expect(keys.scancodes.slice(start)).toEqual([
      0x1d, 0x38, 0xe0, 0x53, 0xe0, 0xd3, 0xb8, 0x9d, // Ctrl+Alt+Del down, then up in reverse
      0xe0, 0x48, 0xe0, 0xc8, // Up
      0x1e, 0x9e, // a
    ])
    expect(keys.text.endsWith('a')).toBe(true)
    expect(vm.serialLog()).toContain('\r\n1e a\r\n9e\r\n')
  })

  it('serves the same screen through the relay, over TCP and over QEMU\'s websocket', async () => {
    const relay = new ConsoleRelay({ log: memoryLog(), allowedOrigins: () => [ORIGIN] })
    await relay.start()
    try {
      const viaTcp = relay.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port: vm.vncPort }, protocol: 'rfb' })
      const a = await RfbClient.websocket(viaTcp.url, { headers: { Origin: ORIGIN } })
      await a.waitFor(() => a.pixel(360, 144) === GREEN, 'the green band via TCP')
      a.close()
      const viaWs = relay.register({
        upstream: { kind: 'websocket', url: `ws://127.0.0.1:${vm.websocketPort}/`, protocols: ['binary'] },
        protocol: 'rfb',
      })
      const b = await RfbClient.websocket(viaWs.url, { headers: { Origin: ORIGIN } })
      await b.waitFor(() => b.pixel(360, 240) === RED, 'the red band via QEMU websocket')
      expect(relay.session(viaWs.handle)?.bytesToRenderer).toBeGreaterThan(720 * 400 * 4)
      b.close()
    } finally {
      await relay.stop()
    }
  })
})

describe.skipIf(!version)('QEMU animated image', () => {
  it('changes one cell continuously, so a client gets a steady stream of updates', async () => {
    const animated = await buildBootImage(dir, { animate: true })
    const vm = await startQemuVm({ name: 'animated', bootImage: animated, dir: path.join(dir, 'anim') })
    const c = await RfbClient.tcp(vm.vncPort).catch(async (err: unknown) => {
      await vm.stop()
      throw err
    })
    try {
      await vm.waitForSerial(SERIAL_BANNER)
      await c.waitFor(() => c.pixel(360, 48) === BLUE, 'the blue band')
      // The static image sends nothing after the first frame; this one keeps updating.
      const from = c.updates
      await c.waitFor(() => c.updates >= from + 10, 'ten more updates', 10_000)
      expect(c.pixel(360, 48)).toBe(BLUE)
      expect(c.pixel(360, 240)).toBe(RED)
    } finally {
      c.close()
      await vm.stop()
    }
  })
})

describe.skipIf(!version)('QEMU serial port through the relay', () => {
  it('carries serial bytes both ways: input echoed by the guest, key lines from the keyboard', async () => {
    const vm = await startQemuVm({ name: 'serial', bootImage: image, dir: path.join(dir, 's') })
    const relay = new ConsoleRelay({ log: memoryLog(), allowedOrigins: () => [ORIGIN] })
    await relay.start()
    try {
      await vm.waitForSerial(SERIAL_BANNER)
      const reg = relay.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port: vm.serialPort }, protocol: 'serial' })
      const ws = new WebSocket(reg.url, { origin: ORIGIN })
      let text = ''
      ws.on('message', (d: Buffer) => (text += d.toString('latin1')))
      await new Promise<void>((res, rej) => {
        ws.once('open', () => res())
        ws.once('error', rej)
      })
      ws.send(Buffer.from('ping'))
      const until = async (want: string): Promise<void> => {
        const deadline = Date.now() + 10_000
        while (!text.includes(want)) {
          if (Date.now() > deadline) throw new Error(`serial has ${JSON.stringify(text)}, not ${JSON.stringify(want)}`)
          await new Promise((r) => setTimeout(r, 25))
        }
      }
      await until('ping')
      const vnc = await RfbClient.tcp(vm.vncPort)
      vnc.type('z')
      await until('2c z\r\nac\r\n')
      vnc.close()
      ws.close()
    } finally {
      await relay.stop()
      await vm.stop()
    }
  })
})

describe.skipIf(!version)('QEMU console source with a VNC password', () => {
  let vm: QemuVm
  beforeAll(async () => {
    vm = await startQemuVm({ name: 'locked', bootImage: image, dir: path.join(dir, 'b'), password: 'first1' })
  })
  afterAll(async () => {
    await vm?.stop()
  })

  it('asks for VNC Authentication and accepts only the password set over QMP', async () => {
    await expect(RfbClient.tcp(vm.vncPort)).rejects.toThrow(/security types 2/)
    await expect(RfbClient.tcp(vm.vncPort, { password: 'nope' })).rejects.toThrow(/security failed/)
    const ok = await RfbClient.tcp(vm.vncPort, { password: 'first1' })
    ok.close()
    await vm.setVncPassword('second2')
    await expect(RfbClient.tcp(vm.vncPort, { password: 'first1' })).rejects.toThrow(/security failed/)
    const again = await RfbClient.tcp(vm.vncPort, { password: 'second2' })
    await again.waitFor(() => again.pixel(10, 10) === BLUE, 'the screen')
    again.close()
    await expect(vm.setVncPassword('too-long-for-vnc')).rejects.toThrow(/1 to 8/)
  })

  it('lets the relay answer the password in main and offer the renderer security None', async () => {
    const relay = new ConsoleRelay({ log: memoryLog(), allowedOrigins: () => [ORIGIN] })
    await relay.start()
    try {
      await vm.setVncPassword('relay12')
      const reg = relay.register({
        upstream: { kind: 'tcp', host: '127.0.0.1', port: vm.vncPort },
        protocol: 'rfb',
        vncPassword: 'relay12',
      })
      const c = await RfbClient.websocket(reg.url, { headers: { Origin: ORIGIN } })
      await c.waitFor(() => c.pixel(10, 200) === RED, 'the screen via the relay')
      c.close()
    } finally {
      await relay.stop()
    }
  })
})
