import { SecurityType, vncAuthResponse } from './vnc-auth'

/** Reads and writes raw bytes on one side during the RFB handshake, before the pipe takes over. */
export interface HandshakeIo {
  write(data: Buffer): void
  read(n: number): Promise<Buffer>
  /** Stops listening; returns bytes that arrived beyond what was read. */
  detach(): Buffer
}

/**
 * A HandshakeIo over an event source of byte chunks (a socket's 'data', a WebSocket's
 * 'message'), starting with bytes that arrived `early`. `subscribe` starts delivery and
 * returns the function that stops it.
 */
export function handshakeIo(
  early: Buffer,
  write: (data: Buffer) => void,
  subscribe: (onChunk: (chunk: Buffer) => void, onEnd: (err: Error) => void) => () => void,
): HandshakeIo {
  let buffer = early
  let waiting: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined
  let ended: Error | undefined
  const pump = (): void => {
    if (!waiting) return
    if (buffer.length >= waiting.n) {
      const out = buffer.subarray(0, waiting.n)
      buffer = buffer.subarray(waiting.n)
      const w = waiting
      waiting = undefined
      w.resolve(out)
    } else if (ended) {
      const w = waiting
      waiting = undefined
      w.reject(ended)
    }
  }
  const unsubscribe = subscribe(
    (chunk) => {
      buffer = Buffer.concat([buffer, chunk])
      pump()
    },
    (err) => {
      ended ??= err
      pump()
    },
  )
  return {
    write,
    read: (n) =>
      new Promise((resolve, reject) => {
        waiting = { n, resolve, reject }
        pump()
      }),
    detach: () => {
      unsubscribe()
      return buffer
    },
  }
}

/** Why the relay could not complete an RFB handshake, in words for the console tab. */
export class RfbHandshakeError extends Error {
  constructor(
    message: string,
    /** AUTH_FAILED when the console refused the password; PROVIDER_ERROR otherwise. */
    readonly code: 'AUTH_FAILED' | 'PROVIDER_ERROR' = 'PROVIDER_ERROR',
  ) {
    super(message)
  }
}

async function reason(io: HandshakeIo): Promise<string> {
  try {
    const len = (await io.read(4)).readUInt32BE(0)
    return (await io.read(Math.min(len, 4096))).toString('utf8')
  } catch {
    return 'no reason given'
  }
}

/** Names of the security types servers offer instead (IANA RFB registry), for the doctor's detail. */
const SECURITY_TYPE_NAMES: Readonly<Record<number, string>> = {
  5: 'RA2',
  6: 'RA2ne',
  13: 'RealVNC',
  16: 'Tight',
  17: 'Ultra',
  18: 'TLS',
  19: 'VeNCrypt',
  20: 'SASL',
  22: 'XVP',
  30: 'Apple ARD',
  113: 'MS Logon II',
  129: 'Tight Unix login',
}

function securityTypeName(type: number): string {
  const name = SECURITY_TYPE_NAMES[type]
  return name ? `${type} ${name}` : String(type)
}

/** A banner as printable text: quoted, control characters escaped. */
function shown(banner: string): string {
  return JSON.stringify(banner).replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}

/**
 * Passes the upstream's RFB security handshake with a password held in main (VNC
 * Authentication, RFC 6143 §7.2.2), then offers the renderer security type None, so
 * the password never reaches the renderer. Both sides are left just before ClientInit.
 */
export async function proxyVncAuth(upstream: HandshakeIo, renderer: HandshakeIo, password: string): Promise<void> {
  const version = (await upstream.read(12)).toString('latin1')
  const m = /^RFB (\d{3})\.(\d{3})\n$/.exec(version)
  // What it said goes in the message: an SSH or HTTP banner tells the user which port this is.
  if (!m || Number(m[1]) < 3) throw new RfbHandshakeError(`the console does not speak RFB 3.x: it sent ${shown(version)}`)
  // RFC 6143 §7.1.1: 3.7 and 3.8 as they are, anything newer (RealVNC's 4.x and 5.0 too) as 3.8, anything else as 3.3.
  const offered = Number(m[2])
  const minor = Number(m[1]) > 3 || offered >= 8 ? 8 : offered === 7 ? 7 : 3
  upstream.write(Buffer.from(`RFB 003.00${minor}\n`, 'latin1'))
  let type: number
  if (minor === 3) {
    type = (await upstream.read(4)).readUInt32BE(0)
    if (type === 0) throw new RfbHandshakeError(`the console refused the connection: ${await reason(upstream)}`)
  } else {
    const count = (await upstream.read(1))[0]!
    if (count === 0) throw new RfbHandshakeError(`the console refused the connection: ${await reason(upstream)}`)
    const types = [...(await upstream.read(count))]
    if (types.includes(SecurityType.vncAuth)) type = SecurityType.vncAuth
    else if (types.includes(SecurityType.none)) type = SecurityType.none
    else throw new RfbHandshakeError(`the console asks for security types Porthole does not speak (${types.map(securityTypeName).join(', ')})`)
    upstream.write(Buffer.from([type]))
  }
  if (type === SecurityType.vncAuth) {
    upstream.write(vncAuthResponse(password, await upstream.read(16)))
  } else if (type !== SecurityType.none) {
    throw new RfbHandshakeError(`the console asks for security type ${securityTypeName(type)}, which Porthole does not speak`)
  }
  if (type === SecurityType.vncAuth || minor === 8) {
    const result = (await upstream.read(4)).readUInt32BE(0)
    if (result !== 0) {
      const why = minor === 8 ? await reason(upstream) : 'authentication failed'
      throw new RfbHandshakeError(`the console refused the password: ${why}`, 'AUTH_FAILED')
    }
  }

  renderer.write(Buffer.from('RFB 003.008\n', 'latin1'))
  const theirs = (await renderer.read(12)).toString('latin1')
  const rm = /^RFB 003\.00([78])\n$/.exec(theirs)
  if (!rm) throw new RfbHandshakeError('the console tab does not speak RFB 3.7 or 3.8')
  renderer.write(Buffer.from([1, SecurityType.none]))
  const chosen = (await renderer.read(1))[0]
  if (chosen !== SecurityType.none) throw new RfbHandshakeError('the console tab chose a security type that was not offered')
  if (rm[1] === '8') renderer.write(u32(0))
}
