// One JSON-over-HTTP exchange for the provider clients (vCenter, OpenStack, ZStack): a
// per-request timeout on top of the caller's AbortSignal, and network failures as contract
// errors named for the provider. Sessions, retries and error bodies stay with each client.
import { request, type Dispatcher } from 'undici'
import { PortholeError } from '../../../contract/errors'

/** What the server answered; an HTTP error status is an answer, not an exception. */
export interface HttpAnswer {
  status: number
  text: string
  headers: Record<string, string | string[] | undefined>
}

export interface HttpExchange {
  /** For messages: "vCenter", "OpenStack", "ZStack". */
  provider: string
  method: string
  url: string
  headers?: Record<string, string>
  /** Sent as JSON when defined. */
  body?: unknown
  /** The JSON body's Content-Type; default `application/json`. */
  contentType?: string
  signal: AbortSignal
  /** HTTP with the connection's TLS trust (main/services/tls `dispatcherFor`). */
  dispatcher: Dispatcher
  timeoutMs: number
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
])

/** A network-level failure as a contract error (a PortholeError from the TLS layer passes through). */
export function transportError(err: unknown, provider: string): PortholeError {
  const chain: unknown[] = []
  for (let e: unknown = err; e && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e)
  const own = chain.find((e): e is PortholeError => e instanceof PortholeError)
  if (own) return own
  const code = chain.map((e) => (e as { code?: unknown }).code).find((c): c is string => typeof c === 'string')
  if (code && TLS_CODES.has(code)) {
    return new PortholeError('TLS_UNTRUSTED', `The ${provider} certificate is not trusted.`, { detail: { reason: code } })
  }
  const text = err instanceof Error ? err.message : String(err)
  return new PortholeError('PROVIDER_UNAVAILABLE', `Cannot reach ${provider}: ${text}`, { detail: code ? { reason: code } : {}, cause: err })
}

/** One HTTP exchange with timeout and cancellation (CANCELLED, TIMEOUT); never throws for an HTTP status. */
export async function exchange(x: HttpExchange): Promise<HttpAnswer> {
  if (x.signal.aborted) throw new PortholeError('CANCELLED', 'Cancelled.')
  const timeout = AbortSignal.timeout(x.timeoutMs)
  const both = AbortSignal.any([x.signal, timeout])
  const headers: Record<string, string> = { accept: 'application/json', ...x.headers }
  let payload: string | null = null
  if (x.body !== undefined) {
    payload = JSON.stringify(x.body)
    headers['content-type'] = x.contentType ?? 'application/json'
  }
  try {
    const res = await request(x.url, {
      method: x.method as Dispatcher.HttpMethod,
      headers,
      body: payload,
      dispatcher: x.dispatcher,
      signal: both,
    })
    return { status: res.statusCode, text: await res.body.text(), headers: res.headers }
  } catch (err) {
    if (x.signal.aborted) throw new PortholeError('CANCELLED', 'Cancelled.', { cause: err })
    if (timeout.aborted) throw new PortholeError('TIMEOUT', `${x.provider} did not answer within ${x.timeoutMs} ms.`, { cause: err })
    throw transportError(err, x.provider)
  }
}
