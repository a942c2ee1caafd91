import crypto from 'node:crypto'
import net from 'node:net'
import { SecurityType, vncAuthCheck } from '../../main/services/consoles/vnc-auth'
import type { Log } from '../../main/services/log/log'
import { ByteReader } from './byte-reader'
import { intersectRect, unionRect, type Rect } from './framebuffer'
import {
  TRUE_COLOUR_32,
  decodePixelFormat,
  encodePixelFormat,
  pixelValue,
  unsupportedPixelFormat,
  writePixel,
  type PixelFormat,
} from './pixel-format'
import { TestPattern } from './test-pattern'
import { UsKeysymScancodes } from './us-keysym-scancodes'

/** A key event as the server received it. */
export interface ReceivedKey {
  keysym: number
  down: boolean
  /** Which connection sent it, numbered from 1. */
  connection: number
  /** With `usKeyboard`: the XT bytes the US table turns it into (none when the table lacks the keysym). */
  scancodes?: number[]
}

export interface RfbServerOptions {
  /** Shown in ServerInit and drawn on the test pattern. */
  name: string
  /** When set, clients must pass VNC Authentication (only the first 8 characters count). */
  password?: string
  port?: number
  onKey?: (key: ReceivedKey) => void
  /** Map keysyms to scancodes through a US table, as ESXi does (see us-keysym-scancodes.ts). */
  usKeyboard?: boolean
  log?: Log
  /** The clock drawn on screen; tests pass a fixed one. */
  now?: () => Date
  /** Fault knobs at start (see RfbFaults); `setFaults` changes them for later connections. */
  faults?: RfbFaults
}

/** What the server gets wrong on purpose, for the connection doctor's tests. */
export interface RfbFaults {
  /**
   * The first bytes a client reads instead of `RFB 003.008\n`: another service's banner
   * (`SSH-2.0-OpenSSH_9.2p1\r\n`) or an RFB version clients do not speak. The server then
   * waits without reading, as an SSH server waits for the client's banner.
   */
  banner?: string | undefined
  /**
   * The security types offered instead of None / VNC Authentication, e.g. [19] (VeNCrypt only)
   * or [5, 6] (RA2, RA2ne); a client that picks one of them is told it failed.
   */
  securityTypes?: number[] | undefined
}

export interface RfbServer {
  readonly host: '127.0.0.1'
  readonly port: number
  readonly pattern: TestPattern
  /** Every key event received, oldest first (the last 10 000 are kept). */
  readonly keys: ReceivedKey[]
  /** With `usKeyboard`: every XT byte the guest's keyboard controller would have read, oldest first (the last 10 000). */
  readonly scancodes: number[]
  /** Changes the password for later connections; undefined switches to security type None. */
  setPassword(password: string | undefined): void
  /** Open client connections. */
  connections(): number
  /** Fault knob: cuts every open connection mid-session (the server keeps listening). */
  dropConnections(): void
  /** Fault knobs for later connections (replaces the previous ones; {} is a healthy server). */
  setFaults(faults: RfbFaults): void
  /** Clipboard texts clients sent (ClientCutText, Latin-1), oldest first. */
  readonly cutTexts: string[]
  /** The guest "copies" text: ServerCutText to every client. */
  sendCutText(text: string): void
  close(): Promise<void>
}

const KEYS_KEPT = 10_000
const enum ClientMessage {
  SetPixelFormat = 0,
  SetEncodings = 2,
  FramebufferUpdateRequest = 3,
  KeyEvent = 4,
  PointerEvent = 5,
  ClientCutText = 6,
}

/**
 * A small RFB 3.8 server (RFC 6143) for machines without QEMU: security None or VNC
 * Authentication, raw encoding, true-colour pixel formats, incremental updates, key
 * events (keysyms only: it does not offer the QEMU extended key event). Listens on
 * 127.0.0.1 only.
 */
export async function startRfbServer(options: RfbServerOptions): Promise<RfbServer> {
  const now = options.now ?? (() => new Date())
  const pattern = new TestPattern(options.name, now())
  const keys: ReceivedKey[] = []
  const scancodes: number[] = []
  const cutTexts: string[] = []
  const keyboard = options.usKeyboard ? new UsKeysymScancodes() : undefined
  const sockets = new Set<net.Socket>()
  let password = options.password
  let faults: RfbFaults = options.faults ?? {}
  let connectionCount = 0

  const clock = setInterval(() => pattern.showTime(now()), 1000)
  clock.unref()

  const server = net.createServer((socket) => {
    const id = ++connectionCount
    sockets.add(socket)
    socket.setNoDelay(true)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    serve(socket, id).catch((err: unknown) => {
      options.log?.debug('rfb-server: connection ended', { connection: id, reason: (err as Error).message })
      socket.destroy()
    })
  })

  async function serve(socket: net.Socket, id: number): Promise<void> {
    const reader = new ByteReader(socket)
    const { banner, securityTypes } = faults
    if (banner !== undefined) {
      socket.write(banner)
      return new Promise<void>((resolve) => socket.once('close', () => resolve()))
    }
    socket.write('RFB 003.008\n')
    const version = (await reader.read(12)).toString('latin1')
    const minor = /^RFB 003\.00([378])\n$/.exec(version)?.[1]
    if (!minor) throw new Error(`unsupported client version ${JSON.stringify(version)}`)
    if (securityTypes !== undefined && securityTypes.length > 0) {
      // RFB 3.3 lets only the server choose: it chooses the first of them.
      if (minor === '3') return void socket.end(u32(securityTypes[0]!))
      socket.write(Buffer.from([securityTypes.length, ...securityTypes]))
      const chosen = await reader.u8()
      return fail(socket, minor, `security type ${chosen} is offered but not implemented by this lab server`)
    }
    const sessionPassword = password
    const offered = sessionPassword !== undefined ? SecurityType.vncAuth : SecurityType.none
    if (minor === '3') {
      socket.write(u32(offered)) // RFB 3.3: the server decides
    } else {
      socket.write(Buffer.from([1, offered]))
      const chosen = await reader.u8()
      if (chosen !== offered) return fail(socket, minor, `security type ${chosen} was not offered`)
    }
    if (sessionPassword !== undefined) {
      const challenge = crypto.randomBytes(16)
      socket.write(challenge)
      const response = await reader.read(16)
      if (!vncAuthCheck(sessionPassword, challenge, response)) return fail(socket, minor, 'Authentication failed')
      socket.write(u32(0))
    } else if (minor === '8') {
      socket.write(u32(0))
    }
    await reader.u8() // ClientInit: the shared flag; every connection is shared here.

    const name = Buffer.from(options.name, 'utf8')
    const fb = pattern.fb
    socket.write(Buffer.concat([u16(fb.width), u16(fb.height), encodePixelFormat(TRUE_COLOUR_32), u32(name.length), name]))

    let format: PixelFormat = TRUE_COLOUR_32
    let damage: Rect | undefined
    let requested: Rect | undefined
    const sendIfDue = (): void => {
      if (!requested || !damage) return
      const rect = intersectRect(damage, requested)
      if (!rect) return
      requested = undefined
      // What lies outside this request stays damaged for the next one.
      if (rect.x === damage.x && rect.y === damage.y && rect.w === damage.w && rect.h === damage.h) damage = undefined
      socket.write(encodeUpdate(pattern, rect, format))
    }
    const stopListening = fb.onDamage((rect) => {
      damage = unionRect(damage, rect)
      sendIfDue()
    })
    socket.once('close', stopListening)

    for (;;) {
      const type = await reader.u8()
      switch (type) {
        case ClientMessage.SetPixelFormat: {
          await reader.read(3)
          const pf = decodePixelFormat(await reader.read(16))
          const why = unsupportedPixelFormat(pf)
          if (why) throw new Error(why)
          format = pf
          break
        }
        case ClientMessage.SetEncodings: {
          await reader.read(1)
          const count = await reader.u16()
          await reader.read(count * 4) // raw is always allowed, and it is all we send
          break
        }
        case ClientMessage.FramebufferUpdateRequest: {
          const incremental = (await reader.u8()) !== 0
          const req = { x: await reader.u16(), y: await reader.u16(), w: await reader.u16(), h: await reader.u16() }
          const visible = intersectRect(req, { x: 0, y: 0, w: fb.width, h: fb.height })
          if (!visible) break
          requested = visible
          if (!incremental) damage = unionRect(damage, visible)
          sendIfDue()
          break
        }
        case ClientMessage.KeyEvent: {
          const down = (await reader.u8()) !== 0
          await reader.read(2)
          const keysym = await reader.u32()
          const bytes = keyboard?.bytes(keysym, down)
          const key: ReceivedKey = { keysym, down, connection: id, ...(bytes ? { scancodes: bytes } : {}) }
          keys.push(key)
          if (keys.length > KEYS_KEPT) keys.shift()
          if (bytes) scancodes.push(...bytes)
          if (scancodes.length > KEYS_KEPT) scancodes.splice(0, scancodes.length - KEYS_KEPT)
          options.log?.info('rfb-server: key', { keysym: `0x${keysym.toString(16)}`, down, connection: id })
          options.onKey?.(key)
          if (down) pattern.keyDown(keysym)
          break
        }
        case ClientMessage.PointerEvent:
          await reader.read(5)
          break
        case ClientMessage.ClientCutText: {
          await reader.read(3)
          const text = (await reader.read(await reader.u32())).toString('latin1')
          cutTexts.push(text)
          break
        }
        default:
          throw new Error(`unknown client message type ${type}`)
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('rfb-server: no TCP address')

  return {
    host: '127.0.0.1',
    port: address.port,
    pattern,
    keys,
    scancodes,
    setPassword: (pw) => {
      password = pw
    },
    connections: () => sockets.size,
    dropConnections: () => {
      for (const socket of sockets) socket.destroy()
    },
    setFaults: (next) => {
      faults = { ...next }
    },
    cutTexts,
    sendCutText: (text) => {
      const bytes = Buffer.from(text, 'latin1')
      for (const socket of sockets) socket.write(Buffer.concat([Buffer.from([3, 0, 0, 0]), u32(bytes.length), bytes]))
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(clock)
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

/** Ends the handshake with a failure: SecurityResult 1 and, from RFB 3.8 on, a reason. */
function fail(socket: net.Socket, minor: string, reason: string): void {
  const text = Buffer.from(reason, 'utf8')
  socket.end(minor === '8' ? Buffer.concat([u32(1), u32(text.length), text]) : u32(1))
}

/** One FramebufferUpdate with one raw rectangle. */
function encodeUpdate(pattern: TestPattern, rect: Rect, pf: PixelFormat): Buffer {
  const bpp = pf.bitsPerPixel / 8
  const header = Buffer.alloc(4 + 12)
  header.writeUInt8(0, 0)
  header.writeUInt16BE(1, 2)
  header.writeUInt16BE(rect.x, 4)
  header.writeUInt16BE(rect.y, 6)
  header.writeUInt16BE(rect.w, 8)
  header.writeUInt16BE(rect.h, 10)
  header.writeInt32BE(0, 12) // raw
  const body = Buffer.alloc(rect.w * rect.h * bpp)
  const fb = pattern.fb
  const cache = new Map<number, number>()
  let offset = 0
  for (let y = rect.y; y < rect.y + rect.h; y++) {
    for (let x = rect.x; x < rect.x + rect.w; x++) {
      const rgb = fb.pixels[y * fb.width + x] ?? 0
      let value = cache.get(rgb)
      if (value === undefined) {
        value = pixelValue(pf, rgb)
        cache.set(rgb, value)
      }
      writePixel(body, offset, pf, value)
      offset += bpp
    }
  }
  return Buffer.concat([header, body])
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2)
  b.writeUInt16BE(n)
  return b
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n >>> 0)
  return b
}
