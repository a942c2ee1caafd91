// The ZStack session and HTTP layer (reference §0–§3): login by account with the SHA-512 hex of
// the password, `Authorization: OAuth <session>`, one silent re-login when the session expired
// (ID.1001, on a sync reply or through a job), async APIs submitted with an X-Job-UUID and
// polled on our own base URL, per-request timeout and AbortSignal, failures as contract errors.
import crypto from 'node:crypto'
import type { Dispatcher } from 'undici'
import { PortholeError } from '../../../../contract/errors'
import { exchange } from '../http'
import { faultError, isSessionExpired, parseFault } from './errors'
import { jobIdOf, jobUrl, pollJob, type PollAnswer } from './job-polling'
import { Accepted, LoginReply, read, ValidReply } from './wire'

export interface ZstackClientOptions {
  /** What the user typed: http(s)://host[:port][/context]; a trailing /zstack[/v1] is tolerated. */
  baseUrl: string
  accountName: string
  /** The plaintext password; only its SHA-512 hex goes on the wire. */
  password: string
  /** HTTP with this connection's TLS trust (main/services/tls `dispatcherFor`). */
  dispatcher: Dispatcher
  /** Per request; default 30 s. */
  timeoutMs?: number
  /** First poll wait and cap; default 300 ms and 2 s. */
  pollInitialMs?: number
  pollMaxMs?: number
}

export interface JobOptions {
  signal: AbortSignal
  /** How long the job may take before TIMEOUT. */
  deadlineMs: number
  /** For messages: "start of the VM". */
  what: string
}

type Method = 'GET' | 'PUT' | 'POST' | 'DELETE'

/** The API root's parent: what the user typed without a trailing `/zstack[/v1]` or slashes. */
export function normalizeBase(baseUrl: string): string {
  let base = baseUrl.trim().replace(/\/+$/, '')
  base = base.replace(/\/zstack(\/v1)?$/i, '')
  return base
}

/** ZStack compares the lower-case hex SHA-512 of the password (reference §1.1). */
export function hashPassword(password: string): string {
  return crypto.createHash('sha512').update(password, 'utf8').digest('hex')
}

function parseJson(text: string, what: string): unknown {
  if (text === '') return {}
  try {
    return JSON.parse(text)
  } catch {
    throw new PortholeError('PROVIDER_ERROR', `ZStack answered ${what} with a body that is not JSON.`)
  }
}

export class ZstackClient {
  private session: string | undefined
  private loggingIn: Promise<void> | undefined
  /** Everything up to (not including) /zstack/v1. */
  readonly base: string

  constructor(private readonly options: ZstackClientOptions) {
    this.base = normalizeBase(options.baseUrl)
  }

  get loggedIn(): boolean {
    return this.session !== undefined
  }

  /** One HTTP exchange with timeout and cancellation; never throws for an HTTP status. */
  private send(method: Method, url: string, body: unknown, signal: AbortSignal, extra: Record<string, string> = {}): Promise<PollAnswer> {
    const headers = this.session ? { ...extra, authorization: `OAuth ${this.session}` } : extra
    const { dispatcher, timeoutMs = 30_000 } = this.options
    const contentType = 'application/json;charset=UTF-8'
    return exchange({ provider: 'ZStack', method, url, headers, body, contentType, signal, dispatcher, timeoutMs })
  }

  private url(path: string): string {
    return `${this.base}/zstack/v1${path}`
  }

  /** Logs in by account; concurrent callers share one login. */
  login(signal: AbortSignal): Promise<void> {
    this.loggingIn ??= this.doLogin(signal).finally(() => {
      this.loggingIn = undefined
    })
    return this.loggingIn
  }

  private async doLogin(signal: AbortSignal): Promise<void> {
    this.session = undefined
    const body = { logInByAccount: { accountName: this.options.accountName, password: hashPassword(this.options.password) } }
    const a = await this.send('PUT', this.url('/accounts/login'), body, signal)
    if (a.status !== 200) throw faultError(parseFault(a.status, a.text))
    this.session = read(LoginReply, parseJson(a.text, 'the login'), 'the login').inventory.uuid
  }

  /** Ends the session on the server; errors are ignored (the session dies with it either way). */
  async logout(signal: AbortSignal): Promise<void> {
    const session = this.session
    this.session = undefined
    if (!session) return
    await this.send('DELETE', this.url(`/accounts/sessions/${encodeURIComponent(session)}`), undefined, signal).catch(() => undefined)
  }

  /** Whether the server still knows our session (does not extend it). */
  async sessionValid(signal: AbortSignal): Promise<boolean> {
    if (!this.session) return false
    const a = await this.send('GET', this.url(`/accounts/sessions/${encodeURIComponent(this.session)}/valid`), undefined, signal)
    if (a.status !== 200) throw faultError(parseFault(a.status, a.text))
    return read(ValidReply, parseJson(a.text, 'session validation'), 'session validation').valid
  }

  /** Extends the session (renewSession, an async API) by `durationSeconds` or the server's timeout. */
  async renewSession(signal: AbortSignal, durationSeconds?: number): Promise<void> {
    if (!this.session) return this.login(signal)
    await this.job(
      'PUT',
      () => `/accounts/sessions/${encodeURIComponent(this.session ?? '')}/renew`,
      { renewSession: durationSeconds !== undefined ? { duration: durationSeconds } : {} },
      { signal, deadlineMs: 30_000, what: 'session renewal' },
    )
  }

  /** A sync API (queries): the parsed 200 body. Re-logs in once on ID.1001. */
  async get(path: string, query: URLSearchParams | undefined, signal: AbortSignal): Promise<unknown> {
    if (!this.session) await this.login(signal)
    const qs = query && [...query.keys()].length > 0 ? `?${query.toString()}` : ''
    for (let attempt = 0; ; attempt++) {
      const used = this.session
      const a = await this.send('GET', this.url(`${path}${qs}`), undefined, signal)
      if (a.status === 200) return parseJson(a.text, path)
      const fault = parseFault(a.status, a.text)
      if (attempt === 0 && isSessionExpired(fault)) {
        await this.relogin(used, signal)
        continue
      }
      throw faultError(fault)
    }
  }

  /**
   * An async API: submit (202 + location), poll on our base URL until it finishes, return the
   * parsed 200 result. A job that failed with ID.1001 never ran: re-login once and resubmit.
   */
  async job(method: Method, path: () => string, body: unknown, options: JobOptions): Promise<unknown> {
    if (!this.session) await this.login(options.signal)
    for (let attempt = 0; ; attempt++) {
      const used = this.session
      const jobUuid = crypto.randomBytes(16).toString('hex')
      const a = await this.send(method, this.url(path()), body, options.signal, { 'x-job-uuid': jobUuid })
      let done: PollAnswer
      if (a.status === 202) {
        const location = read(Accepted, parseJson(a.text, options.what), options.what).location
        const url = jobUrl(this.base, location)
        done = await pollJob((signal) => this.send('GET', url, undefined, signal), {
          signal: options.signal,
          deadlineMs: options.deadlineMs,
          what: options.what,
          jobId: jobIdOf(location) || jobUuid,
          ...(this.options.pollInitialMs !== undefined ? { initialMs: this.options.pollInitialMs } : {}),
          ...(this.options.pollMaxMs !== undefined ? { maxMs: this.options.pollMaxMs } : {}),
        })
      } else done = a
      if (done.status === 200) return parseJson(done.text, options.what)
      const fault = parseFault(done.status, done.text)
      if (attempt === 0 && isSessionExpired(fault)) {
        await this.relogin(used, options.signal)
        continue
      }
      if (done.status === 404 && fault.code === undefined && a.status === 202) {
        throw new PortholeError('PROVIDER_ERROR', `ZStack lost track of the ${options.what} (its job expired); refresh to see the outcome.`, {
          detail: { status: 404 },
        })
      }
      throw faultError(fault)
    }
  }

  /** Joins a login under way, or logs in unless someone already replaced the session we used. */
  private async relogin(used: string | undefined, signal: AbortSignal): Promise<void> {
    if (this.loggingIn) await this.loggingIn
    else if (this.session === used) await this.login(signal)
  }
}
