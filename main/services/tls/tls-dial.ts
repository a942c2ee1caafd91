import { isIP } from 'node:net'
import tls, { type SecureContext, type TLSSocket } from 'node:tls'
import { PortholeError } from '../../../contract/errors'

/**
 * Every socket is opened with `rejectUnauthorized: false` and Node's own hostname check off: not to
 * ignore errors, but so that `verifyPeer` sees the certificate and applies the profile's rule
 * itself, before the socket is handed to undici or the WebSocket client, i.e. before any request
 * byte is written. A refused socket is destroyed. Session resumption is off: a resumed session
 * would skip the checks Node does and pins may have changed since.
 */
export const VERIFY_OURSELVES = { rejectUnauthorized: false, checkServerIdentity: (): undefined => undefined } as const

/** OpenSSL's verification code for the peer's chain, undefined when it verified. */
export function chainErrorOf(socket: TLSSocket): string | undefined {
  if (socket.authorized) return undefined
  // Node types this as Error, but sets the OpenSSL code string.
  const e: unknown = socket.authorizationError
  if (typeof e === 'string') return e
  if (e instanceof Error) return (e as NodeJS.ErrnoException).code ?? e.message
  return 'UNKNOWN_VERIFY_ERROR'
}

export interface DialOptions {
  host: string
  port: number
  /** The TLS context holding the CA list; undefined is Node's default. */
  secureContext: SecureContext | undefined
  timeoutMs: number
  signal?: AbortSignal
}

/** A TLS socket whose handshake is done and whose peer is NOT yet judged: the caller verifies it before writing. */
export function dialTls(options: DialOptions): Promise<TLSSocket> {
  const { host, port, secureContext, timeoutMs, signal } = options
  return new Promise<TLSSocket>((resolve, reject) => {
    const socket = tls.connect({
      ...VERIFY_OURSELVES,
      host,
      port,
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ...(secureContext !== undefined ? { secureContext } : {}),
      ALPNProtocols: ['http/1.1'],
    })
    const fail = (err: Error): void => {
      cleanup()
      socket.destroy()
      reject(err)
    }
    const onAbort = (): void => fail(new PortholeError('CANCELLED', 'Cancelled.'))
    const timer = setTimeout(() => fail(new PortholeError('TIMEOUT', `No TLS handshake with ${host}:${port} within ${timeoutMs} ms.`)), timeoutMs)
    const cleanup = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      socket.removeListener('error', fail)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    socket.once('error', fail)
    socket.once('secureConnect', () => {
      cleanup()
      resolve(socket)
    })
  })
}
