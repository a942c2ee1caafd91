// The vCenter session and HTTP layer: login with /api or /rest detection, the
// `vmware-api-session-id` header, one silent re-login on an expired session, per-request timeout
// and AbortSignal, and vSphere error bodies turned into contract errors.
import type { Dispatcher } from 'undici'
import { PortholeError } from '../../../../contract/errors'
import { exchange, type HttpAnswer as Answer } from '../http'
import { faultError, isSessionFault, parseFault, type VsphereFault } from './errors'

export type ApiStyle = 'api' | 'rest'

export interface VsphereClientOptions {
  baseUrl: string
  username: string
  password: string
  /** HTTP with this connection's TLS trust (main/services/tls `dispatcherFor`). */
  dispatcher: Dispatcher
  /** Per request; default 30 s. */
  timeoutMs?: number
  /** 'auto' (default) tries /api and falls back to /rest. */
  style?: ApiStyle | 'auto'
}

/** One operation in both styles: path after the prefix (with query), and the body each sends. */
export interface Operation {
  method: 'GET' | 'POST' | 'DELETE'
  api: string
  rest: string
  apiBody?: unknown
  restBody?: unknown
  /** A guest-operations call: a 401 may be the guest password, not the session. */
  guest?: boolean
}

export class VsphereClient {
  private token: string | undefined
  private detected: ApiStyle | undefined
  private loggingIn: Promise<void> | undefined
  private readonly base: string

  constructor(private readonly options: VsphereClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '')
    if (options.style && options.style !== 'auto') this.detected = options.style
  }

  /** The style in use ('api' on 7.0 U2+, 'rest' on older), known after login. */
  get style(): ApiStyle | undefined {
    return this.detected
  }

  get loggedIn(): boolean {
    return this.token !== undefined
  }

  /** One HTTP exchange with timeout and cancellation; never throws for an HTTP status. */
  private send(method: string, path: string, headers: Record<string, string>, body: unknown, signal: AbortSignal): Promise<Answer> {
    const { dispatcher, timeoutMs = 30_000 } = this.options
    return exchange({ provider: 'vCenter', method, url: `${this.base}${path}`, headers, body, signal, dispatcher, timeoutMs })
  }

  private basic(): Record<string, string> {
    const raw = Buffer.from(`${this.options.username}:${this.options.password}`, 'utf8').toString('base64')
    return { authorization: `Basic ${raw}` }
  }

  /** Opens a session; concurrent callers share one login. */
  login(signal: AbortSignal): Promise<void> {
    // The shared login belongs to no caller (one caller cancelling must not fail the others);
    // each caller stops waiting when its own signal aborts. The request timeout still bounds it.
    if (!this.loggingIn) {
      const flight = this.doLogin(new AbortController().signal).finally(() => {
        this.loggingIn = undefined
      })
      // Every waiter handles the outcome; when all of them gave up, nobody must have to.
      flight.catch(() => undefined)
      this.loggingIn = flight
    }
    return untilAborted(this.loggingIn, signal)
  }

  private async doLogin(signal: AbortSignal): Promise<void> {
    this.token = undefined
    if (this.detected !== 'rest') {
      const a = await this.send('POST', '/api/session', this.basic(), undefined, signal)
      if (a.status === 201 || a.status === 200) {
        this.token = parseToken(a.text, false)
        // 7.0 GA/U1 may know /api/session yet lack the /api VM calls: probe one cheap filtered list.
        if (this.detected === undefined) {
          const probe = await this.send('GET', '/api/vcenter/vm?names=porthole-style-probe', this.sessionHeader(), undefined, signal)
          this.detected = probe.status === 404 ? 'rest' : 'api'
        }
        return
      }
      if (a.status !== 404 || this.detected === 'api') throw faultError(parseFault(a.status, a.text))
    }
    // No /api: vCenter before 7.0 U2.
    const r = await this.send('POST', '/rest/com/vmware/cis/session', { ...this.basic(), 'vmware-use-header-authn': 'true' }, undefined, signal)
    if (r.status !== 200) throw faultError(parseFault(r.status, r.text))
    this.token = parseToken(r.text, true)
    this.detected = 'rest'
  }

  private sessionHeader(): Record<string, string> {
    return this.token ? { 'vmware-api-session-id': this.token } : {}
  }

  /** Closes the session; errors are ignored (the token dies with it either way). */
  async logout(signal: AbortSignal): Promise<void> {
    const headers = this.sessionHeader()
    this.token = undefined
    if (!headers['vmware-api-session-id']) return
    const path = this.detected === 'rest' ? '/rest/com/vmware/cis/session' : '/api/session'
    await this.send('DELETE', path, headers, undefined, signal).catch(() => undefined)
  }

  /** Whether the current session is still good (to tell a guest 401 from an expired session). */
  private async sessionAlive(signal: AbortSignal): Promise<boolean> {
    if (!this.token) return false
    const a =
      this.detected === 'rest'
        ? await this.send('POST', '/rest/com/vmware/cis/session?~action=get', this.sessionHeader(), undefined, signal)
        : await this.send('GET', '/api/session', this.sessionHeader(), undefined, signal)
    return a.status === 200
  }

  /**
   * Runs one operation in the detected style and returns its result (unwrapped from /rest's
   * `{"value": …}`; undefined for empty answers). A 401 about the session re-logs in once.
   */
  async call(op: Operation, signal: AbortSignal): Promise<unknown> {
    return (await this.callDeferred(op, signal))()
  }

  /**
   * `call`, resolving as soon as the answer's bytes are in, with the parse of its body left to
   * the caller: a listing sends its next call before it parses this one, so vCenter is not kept
   * waiting while 4,000 VMs of JSON are parsed.
   */
  async callDeferred(op: Operation, signal: AbortSignal): Promise<() => unknown> {
    if (!this.token) await this.login(signal)
    for (let attempt = 0; ; attempt++) {
      const tokenUsed = this.token
      const style = this.detected ?? 'api'
      const path = style === 'api' ? `/api${op.api}` : `/rest${op.rest}`
      const body = style === 'api' ? op.apiBody : op.restBody
      const a = await this.send(op.method, path, this.sessionHeader(), body, signal)
      if (a.status < 300) return () => parseResult(a.text, style)
      const fault = parseFault(a.status, a.text)
      if (a.status === 401 && attempt === 0 && (await this.expired(fault, op, signal))) {
        // Join a login already under way; log in ourselves only if nobody replaced our token yet.
        if (this.loggingIn) await untilAborted(this.loggingIn, signal)
        else if (this.token === tokenUsed) await this.login(signal)
        continue
      }
      throw faultError(fault, { guest: op.guest === true })
    }
  }

  private async expired(fault: VsphereFault, op: Operation, signal: AbortSignal): Promise<boolean> {
    const kind = isSessionFault(fault)
    if (kind === 'session' || !op.guest) return true
    // A guest call's 401 without a session marker: ask vCenter whether our session still lives.
    return kind === 'unknown' ? !(await this.sessionAlive(signal)) : false
  }
}

/** `promise`, or CANCELLED as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new PortholeError('CANCELLED', 'Cancelled.'))
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new PortholeError('CANCELLED', 'Cancelled.'))
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

function parseToken(text: string, wrapped: boolean): string {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  const token = wrapped && json && typeof json === 'object' ? (json as { value?: unknown }).value : json
  if (typeof token !== 'string' || token === '') {
    throw new PortholeError('PROVIDER_ERROR', 'vCenter answered the login without a session token.')
  }
  return token
}

function parseResult(text: string, style: ApiStyle): unknown {
  if (text === '') return undefined
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new PortholeError('PROVIDER_ERROR', 'vCenter answered with a body that is not JSON.')
  }
  if (style === 'rest') {
    if (json === null || typeof json !== 'object' || !('value' in json)) {
      throw new PortholeError('PROVIDER_ERROR', 'vCenter /rest answer is missing its "value".')
    }
    return json.value
  }
  return json
}
