// The OpenStack session and HTTP layer: Keystone authentication, the compute endpoint from the
// catalog, version discovery and microversion negotiation, then Nova calls with the token and
// microversion headers. The token is renewed shortly before it expires and once on a 401
// (concurrent callers share one renewal); every request has a timeout and honours an AbortSignal.
import type { Dispatcher } from 'undici'
import { PortholeError } from '../../../../contract/errors'
import { exchange, type HttpAnswer as Answer } from '../http'
import { sleep } from '../sleep'
import { faultError, parseFault, type FaultContext } from './errors'
import { authBody, selectEndpoint, tokensUrl, type EndpointInterface, type KeystoneCredentials } from './keystone'
import { negotiate } from './microversion'
import { read, TokenBody, VersionDoc, VersionsDoc, type VersionEntry } from './wire'

export interface OpenstackClientOptions {
  /** Keystone's auth_url (with or without /v3). */
  authUrl: string
  credentials: KeystoneCredentials
  interface?: EndpointInterface
  region?: string
  /** HTTP with this connection's TLS trust (main/services/tls `dispatcherFor`). */
  dispatcher: Dispatcher
  /** Per request; default 30 s. */
  timeoutMs?: number
  /** Renew this long before expires_at (capped at a quarter of the token's lifetime); default 5 min. */
  renewBeforeMs?: number
  /** How often a GET answered 429/502/503 is tried again; default 2. */
  retries?: number
  /** Highest microversion to ask for (tests); default what the code knows. */
  maxMicroversion?: string
  now?: () => number
}

/** What login learnt: who, where, and which compute API. */
export interface Session {
  token: string
  issuedAt: number
  expiresAt: number
  user: string
  project: { id: string; name: string } | undefined
  /** The versioned compute base as the catalog gave it (may end in the project id). */
  computeUrl: string
  region: string | undefined
  /** The server's range, from version discovery ('' max: no microversions). */
  minVersion: string | undefined
  maxVersion: string | undefined
  /** The microversion every compute request sends; undefined sends none (2.1). */
  microversion: string | undefined
}

const RETRY_STATUSES = new Set([429, 502, 503])

function header(a: Answer, name: string): string | undefined {
  const v = a.headers[name]
  return Array.isArray(v) ? v[0] : v
}

function json(text: string, what: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new PortholeError('PROVIDER_ERROR', `OpenStack answered ${what} with a body that is not JSON.`)
  }
}

/** `…/v2.1`, `…/v2.1/<project>` or unversioned → the root before the version segment. */
function computeRoot(url: string): { root: string; versioned: boolean } {
  const u = new URL(url)
  const m = /^(.*?)\/v2(?:\.\d+)?(?:\/[^/]+)?\/?$/.exec(u.pathname)
  if (!m) return { root: `${u.origin}${u.pathname.replace(/\/+$/, '')}`, versioned: false }
  return { root: `${u.origin}${m[1] ?? ''}`, versioned: true }
}

export class OpenstackClient {
  private current: Session | undefined
  private renewing: Promise<Session> | undefined
  private readonly now: () => number

  constructor(private readonly options: OpenstackClientOptions) {
    this.now = options.now ?? Date.now
  }

  /** The session after login (undefined before). */
  get session(): Session | undefined {
    return this.current
  }

  /** One HTTP exchange with timeout and cancellation; never throws for an HTTP status. */
  private send(method: string, url: string, headers: Record<string, string>, body: unknown, signal: AbortSignal): Promise<Answer> {
    const { dispatcher, timeoutMs = 30_000 } = this.options
    return exchange({ provider: 'OpenStack', method, url, headers, body, signal, dispatcher, timeoutMs })
  }

  private fail(a: Answer, context: FaultContext): PortholeError {
    return faultError(parseFault(a.status, a.text, header(a, 'retry-after')), context)
  }

  /** Authenticates, picks the compute endpoint and negotiates the microversion; concurrent callers share one login. */
  login(signal: AbortSignal): Promise<Session> {
    this.renewing ??= this.doLogin(signal).finally(() => {
      this.renewing = undefined
    })
    return this.renewing
  }

  private async doLogin(signal: AbortSignal): Promise<Session> {
    const a = await this.send('POST', tokensUrl(this.options.authUrl), {}, authBody(this.options.credentials), signal)
    if (a.status !== 201 && a.status !== 200) throw this.fail(a, 'auth')
    const token = header(a, 'x-subject-token')
    if (!token) throw new PortholeError('PROVIDER_ERROR', 'Keystone answered the login without an X-Subject-Token header.')
    const body = read(TokenBody, json(a.text, 'the login'), 'the login').token
    const expiresAt = Date.parse(body.expires_at)
    if (!Number.isFinite(expiresAt)) throw new PortholeError('PROVIDER_ERROR', `Keystone's token has an unreadable expires_at (${body.expires_at}).`)
    if (!body.catalog) throw new PortholeError('PROVIDER_ERROR', 'Keystone gave a token without a service catalog (is the token project-scoped?).')
    const chosen = selectEndpoint(body.catalog, 'compute', this.options.interface ?? 'public', this.options.region)
    // An unversioned catalog URL (`http://ctl:8774/`) gets the v2.1 API under it.
    const { root, versioned } = computeRoot(chosen.url)
    if (!versioned) chosen.url = `${root}/v2.1`
    const previous = this.current
    const session: Session = {
      token,
      issuedAt: this.now(),
      expiresAt,
      user: body.user?.name ?? body.user?.id ?? '',
      project: body.project ? { id: body.project.id, name: body.project.name ?? body.project.id } : undefined,
      computeUrl: chosen.url,
      region: chosen.region,
      minVersion: previous?.computeUrl === chosen.url ? previous.minVersion : undefined,
      maxVersion: previous?.computeUrl === chosen.url ? previous.maxVersion : undefined,
      microversion: previous?.computeUrl === chosen.url ? previous.microversion : undefined,
    }
    // A renewal keeps what discovery found; the first login (or a moved endpoint) discovers.
    if (!previous || previous.computeUrl !== chosen.url) {
      const v = await this.discover(chosen.url, token, signal)
      session.minVersion = v?.min_version
      session.maxVersion = v?.version
      session.microversion = v ? negotiate(v.min_version, v.version, this.options.maxMicroversion) : undefined
    }
    this.current = session
    return session
  }

  /** The v2.1 version entry: `GET <root>/v2.1/`, else the root's list; undefined for a v2.0-only cloud. */
  private async discover(computeUrl: string, token: string, signal: AbortSignal): Promise<VersionEntry | undefined> {
    const { root } = computeRoot(computeUrl)
    const auth = { 'x-auth-token': token }
    const one = await this.send('GET', `${root}/v2.1/`, auth, undefined, signal)
    if (one.status === 200) {
      const doc = VersionDoc.safeParse(json(one.text, 'version discovery'))
      if (doc.success) return doc.data.version
    }
    const all = await this.send('GET', `${root}/`, auth, undefined, signal)
    if (all.status === 200 || all.status === 300) {
      const doc = VersionsDoc.safeParse(json(all.text, 'version discovery'))
      if (doc.success) return doc.data.versions.find((v) => v.id === 'v2.1')
    }
    if (one.status >= 500 || all.status >= 500) throw this.fail(all.status >= 500 ? all : one, 'version')
    return undefined
  }

  /** Revokes the token on Keystone; errors are ignored (it expires either way). */
  async logout(signal: AbortSignal): Promise<void> {
    const s = this.current
    this.current = undefined
    if (!s) return
    const url = tokensUrl(this.options.authUrl)
    await this.send('DELETE', url, { 'x-auth-token': s.token, 'x-subject-token': s.token }, undefined, signal).catch(() => undefined)
  }

  /** A session whose token is not about to expire. */
  private async fresh(signal: AbortSignal): Promise<Session> {
    const s = this.current
    if (!s) return this.login(signal)
    const lifetime = s.expiresAt - s.issuedAt
    const margin = Math.min(this.options.renewBeforeMs ?? 5 * 60_000, Math.max(0, lifetime / 4))
    if (this.now() >= s.expiresAt - margin) return this.renewing ?? this.login(signal)
    return s
  }

  /**
   * A compute call: `path` is relative to the catalog's compute URL (with query). Returns the
   * parsed body (undefined for an empty one, as actions answer). A 401 renews the token once;
   * a GET answered 429/502/503 is tried again (twice by default) after Retry-After or a backoff.
   */
  async compute(method: 'GET' | 'POST', path: string, body: unknown, context: FaultContext, signal: AbortSignal, microversion?: string): Promise<unknown> {
    let s = await this.fresh(signal)
    let renewed = false
    for (let retries = 0; ; ) {
      const headers: Record<string, string> = { 'x-auth-token': s.token }
      const version = microversion ?? s.microversion
      if (version !== undefined) {
        headers['openstack-api-version'] = `compute ${version}`
        headers['x-openstack-nova-api-version'] = version
      }
      const a = await this.send(method, `${s.computeUrl}${path}`, headers, body, signal)
      if (a.status < 300) return a.status === 204 || a.status === 202 ? undefined : json(a.text, 'a compute call')
      if (a.status === 401 && !renewed) {
        renewed = true
        // Join a renewal under way; renew ourselves only if nobody replaced our token yet.
        s = this.renewing ? await this.renewing : this.current?.token === s.token ? await this.login(signal) : (this.current ?? (await this.login(signal)))
        continue
      }
      const error = this.fail(a, context)
      // Only reads are repeated: an action Nova may have accepted must not run twice.
      if (method === 'GET' && RETRY_STATUSES.has(a.status) && retries < (this.options.retries ?? 2)) {
        const hinted = error.detail?.retryAfterSeconds
        const wait = typeof hinted === 'number' ? Math.min(hinted * 1000, 10_000) : 250 * 2 ** retries
        retries++
        await sleep(wait, signal)
        continue
      }
      throw error
    }
  }
}
