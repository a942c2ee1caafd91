import net from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocket, createWebSocketStream } from 'ws'
import { ByteReader } from '../../lab/consoles/byte-reader'
import {
  TRUE_COLOUR_32,
  decodePixelFormat,
  encodePixelFormat,
  pixelColour,
  readPixel,
  type PixelFormat,
} from '../../lab/consoles/pixel-format'
import { SecurityType, vncAuthResponse } from '../../main/services/consoles/vnc-auth'

/** Pseudo-encodings this client understands (RFC 6143 §7.8, rfbproto). */
const ENCODING_RAW = 0
const ENCODING_DESKTOP_SIZE = -223
const ENCODING_QEMU_EXTENDED_KEY = -258
const XK_SHIFT_L = 0xffe1

export interface RfbClientOptions {
  password?: string
  /** Ask for QEMU's extended key event (XT scancodes next to keysyms). */
  qemuKeys?: boolean
  /** The pixel format to ask for (default 32-bit little-endian 0x00RRGGBB). */
  pixelFormat?: PixelFormat
}

/**
 * A minimal RFB 3.8 client for tests: None or VNC Authentication, raw encoding, 32-bit
 * true colour. It keeps a copy of the remote framebuffer (0xRRGGBB per pixel) and can send
 * keys as plain keysyms or as QEMU extended key events.
 */
export class RfbClient {
  width = 0
  height = 0
  name = ''
  /** The server's pixel format from ServerInit (before we asked for ours). */
  serverFormat: PixelFormat = TRUE_COLOUR_32
  pixels = new Uint32Array(0)
  updates = 0
  bytesReceived = 0
  /** True once the server acknowledged the QEMU extended key event pseudo-encoding. */
  qemuKeysAcked = false
  /** Set when the connection ended, with its reason. */
  closed: Error | undefined
  /** ServerCutText the server sent (plain RFB cut text is Latin-1), oldest first. */
  cutTexts: string[] = []
  private readonly stream: Duplex
  private readonly reader: ByteReader
  private readonly waiters = new Set<() => void>()
  private format: PixelFormat = TRUE_COLOUR_32

  private constructor(stream: Duplex) {
    this.stream = stream
    stream.on('data', (chunk: Buffer) => {
      this.bytesReceived += chunk.length
    })
    this.reader = new ByteReader(stream)
  }

  /** Connects over raw TCP (QEMU's or the lab's VNC port). */
  static async tcp(port: number, options: RfbClientOptions = {}): Promise<RfbClient> {
    const socket = net.connect({ host: '127.0.0.1', port })
    socket.on('error', () => socket.destroy())
    return RfbClient.start(socket, options)
  }

  /** Connects over a WebSocket (the relay, QEMU's websocket) with optional subprotocols and headers. */
  static async websocket(
    url: string,
    options: RfbClientOptions & { protocols?: string[]; headers?: Record<string, string> } = {},
  ): Promise<RfbClient> {
    const ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers ?? {}, perMessageDeflate: false })
    // The stream must exist before 'open': a server may send its version in the same packet
    // as the 101 response, and ws emits that message in the same tick as 'open'.
    const stream = createWebSocketStream(ws)
    stream.on('error', () => stream.destroy())
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    })
    return RfbClient.start(stream, options)
  }

  private static async start(stream: Duplex, options: RfbClientOptions): Promise<RfbClient> {
    const client = new RfbClient(stream)
    try {
      await client.handshake(options)
    } catch (err) {
      stream.destroy()
      throw err
    }
    void client.readLoop()
    return client
  }

  private async handshake(options: RfbClientOptions): Promise<void> {
    const r = this.reader
    const version = (await r.read(12)).toString('latin1')
    if (!/^RFB 003\.00[0-9]\n$/.test(version)) throw new Error(`not an RFB server: ${JSON.stringify(version)}`)
    this.stream.write('RFB 003.008\n')
    const count = await r.u8()
    if (count === 0) throw new Error(`server refused: ${await this.reason()}`)
    const types = [...(await r.read(count))]
    const wanted = options.password !== undefined ? SecurityType.vncAuth : SecurityType.none
    if (!types.includes(wanted)) throw new Error(`server offers security types ${types.join(',')}, not ${wanted}`)
    this.stream.write(Buffer.from([wanted]))
    if (wanted === SecurityType.vncAuth) {
      const challenge = await r.read(16)
      this.stream.write(vncAuthResponse(options.password ?? '', challenge))
    }
    if ((await r.u32()) !== 0) throw new Error(`security failed: ${await this.reason()}`)
    this.stream.write(Buffer.from([1])) // shared
    this.width = await r.u16()
    this.height = await r.u16()
    this.serverFormat = decodePixelFormat(await r.read(16))
    this.name = (await r.read(await r.u32())).toString('utf8')
    this.pixels = new Uint32Array(this.width * this.height)

    this.format = options.pixelFormat ?? TRUE_COLOUR_32
    const pf = Buffer.concat([Buffer.from([0, 0, 0, 0]), encodePixelFormat(this.format)])
    const encodings = [ENCODING_RAW, ENCODING_DESKTOP_SIZE, ...(options.qemuKeys ? [ENCODING_QEMU_EXTENDED_KEY] : [])]
    const enc = Buffer.alloc(4 + encodings.length * 4)
    enc.writeUInt8(2, 0)
    enc.writeUInt16BE(encodings.length, 2)
    encodings.forEach((e, i) => enc.writeInt32BE(e, 4 + i * 4))
    this.stream.write(Buffer.concat([pf, enc]))
    this.requestUpdate(false)
  }

  private async reason(): Promise<string> {
    try {
      return (await this.reader.read(await this.reader.u32())).toString('utf8')
    } catch {
      return '(no reason given)'
    }
  }

  /** Asks for the whole screen; incremental asks only for what changes. */
  requestUpdate(incremental: boolean): void {
    const b = Buffer.alloc(10)
    b.writeUInt8(3, 0)
    b.writeUInt8(incremental ? 1 : 0, 1)
    b.writeUInt16BE(this.width, 6)
    b.writeUInt16BE(this.height, 8)
    this.stream.write(b)
  }

  /** A plain RFB KeyEvent. */
  key(keysym: number, down: boolean): void {
    const b = Buffer.alloc(8)
    b.writeUInt8(4, 0)
    b.writeUInt8(down ? 1 : 0, 1)
    b.writeUInt32BE(keysym, 4)
    this.stream.write(b)
  }

  /**
   * A QEMU extended key event: the XT scancode travels with the keysym. Extended keys are
   * written 0xE0nn; on the wire they become nn | 0x80, as rfbproto and noVNC do.
   */
  qemuKey(keysym: number, scancode: number, down: boolean): void {
    const keycode = scancode & 0xff00 ? (scancode & 0x7f) | 0x80 : scancode
    const b = Buffer.alloc(12)
    b.writeUInt8(255, 0)
    b.writeUInt8(0, 1)
    b.writeUInt16BE(down ? 1 : 0, 2)
    b.writeUInt32BE(keysym, 4)
    b.writeUInt32BE(keycode, 8)
    this.stream.write(b)
  }

  /**
   * Types printable ASCII as keysyms, holding Shift_L around the characters a US keyboard
   * needs it for, as a real client does (QEMU maps a keysym to a key, not to a shift state).
   */
  type(text: string): void {
    for (const ch of text) {
      const shifted = /[A-Z~!@#$%^&*()_+{}|:"<>?]/.test(ch)
      if (shifted) this.key(XK_SHIFT_L, true)
      this.key(ch.charCodeAt(0), true)
      this.key(ch.charCodeAt(0), false)
      if (shifted) this.key(XK_SHIFT_L, false)
    }
  }

  /** Plain RFB ClientCutText: the text as Latin-1 (what a client without the extended clipboard sends). */
  cutText(text: string): void {
    const data = Buffer.from(text, 'latin1')
    const b = Buffer.alloc(8)
    b.writeUInt8(6, 0)
    b.writeUInt32BE(data.length, 4)
    this.stream.write(Buffer.concat([b, data]))
  }

  pixel(x: number, y: number): number {
    return this.pixels[y * this.width + x] ?? -1
  }

  /** Waits until predicate holds after some update, keeping incremental requests going. */
  async waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!predicate()) {
      if (this.closed) throw new Error(`connection closed while waiting for ${what}: ${this.closed.message}`)
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`timed out waiting for ${what}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 200))
        function done(): void {
          clearTimeout(timer)
          resolve()
        }
        this.waiters.add(done)
      })
    }
  }

  close(): void {
    this.stream.destroy()
  }

  private async readLoop(): Promise<void> {
    const r = this.reader
    try {
      for (;;) {
        const type = await r.u8()
        if (type === 0) {
          await r.read(1)
          const rects = await r.u16()
          for (let i = 0; i < rects; i++) await this.readRect()
          this.updates++
          this.requestUpdate(true)
        } else if (type === 1) {
          await r.read(3)
          await r.read((await r.u16()) * 6)
        } else if (type === 2) {
          // bell
        } else if (type === 3) {
          await r.read(3)
          this.cutTexts.push((await r.read(await r.u32())).toString('latin1'))
        } else throw new Error(`unknown server message ${type}`)
        this.wake()
      }
    } catch (err) {
      this.closed = err as Error
      this.wake()
    }
  }

  private async readRect(): Promise<void> {
    const r = this.reader
    const x = await r.u16()
    const y = await r.u16()
    const w = await r.u16()
    const h = await r.u16()
    const encoding = await r.s32()
    if (encoding === ENCODING_QEMU_EXTENDED_KEY) {
      this.qemuKeysAcked = true
    } else if (encoding === ENCODING_DESKTOP_SIZE) {
      this.width = w
      this.height = h
      this.pixels = new Uint32Array(w * h)
    } else if (encoding === ENCODING_RAW) {
      const pf = this.format
      const bpp = pf.bitsPerPixel / 8
      const data = await r.read(w * h * bpp)
      for (let row = 0; row < h; row++) {
        for (let col = 0; col < w; col++) {
          this.pixels[(y + row) * this.width + x + col] = pixelColour(pf, readPixel(data, (row * w + col) * bpp, pf))
        }
      }
    } else throw new Error(`unexpected encoding ${encoding}`)
  }

  private wake(): void {
    const waiters = [...this.waiters]
    this.waiters.clear()
    for (const w of waiters) w()
  }
}
