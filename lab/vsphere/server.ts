// The vCenter lab's HTTP handling: style detection (/api, /rest), latency and injected errors,
// sessions (Basic auth → token; `vmware-api-session-id` header or cookie), then the routes.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readBody } from '../request-body'
import { operationNotFound, route } from './routes'
import type { Call, LabState } from './state'
import { message, ok, sendError, sendReply, VapiError, type Reply, type Style } from './wire'

const MAX_BODY = 1024 * 1024

export interface ServerConfig {
  user: string
  password: string
  /** Draws in [0,1) for the error-rate knob; seeded so a run is repeatable. */
  draw(): number
  /** Answers `/lab/…` (the control endpoint); undefined means "not a lab path". */
  control(req: IncomingMessage, res: ServerResponse, path: string, body: string): Promise<void>
}

/** Challenge vCenter sends with UNAUTHENTICATED (mirrored in WWW-Authenticate). */
const CHALLENGE = 'Basic realm="VAPI endpoint",SIGN realm="VAPI endpoint",service="VAPI endpoint",sts="https://127.0.0.1/sts/STSService/vsphere.local"'

function unauthenticated(): VapiError {
  return new VapiError(
    'UNAUTHENTICATED',
    [message('com.vmware.vapi.endpoint.method.authentication.required', 'Authentication required.')],
    CHALLENGE,
  )
}

function sessionToken(req: IncomingMessage): string | undefined {
  const header = req.headers['vmware-api-session-id']
  if (typeof header === 'string' && header) return header
  const cookie = req.headers.cookie?.split(/;\s*/).find((c) => c.startsWith('vmware-api-session-id='))
  return cookie?.slice('vmware-api-session-id='.length)
}

function basicAuth(req: IncomingMessage): { user: string; password: string } | undefined {
  const m = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '')
  if (!m) return undefined
  const text = Buffer.from(m[1] as string, 'base64').toString('utf8')
  const colon = text.indexOf(':')
  return colon < 0 ? undefined : { user: text.slice(0, colon), password: text.slice(colon + 1) }
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** The request listener for the lab's HTTPS server. */
export function handler(state: LabState, config: ServerConfig) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void handle(state, config, req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        const e = err instanceof VapiError ? err : new VapiError('INTERNAL_SERVER_ERROR', [message('com.vmware.vapi.std.errors.internal_server_error', String(err))])
        sendError(res, e, 'api')
      } else res.destroy()
    })
  }
}

async function handle(state: LabState, config: ServerConfig, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1')
  const method = req.method ?? 'GET'
  const body = method === 'GET' || method === 'HEAD' ? '' : await readBody(req, MAX_BODY, () => new VapiError('INVALID_ARGUMENT', [message('vapi.bindings.method.invalid.argument', 'Request body too large.')]))
  if (url.pathname.startsWith('/lab/')) return config.control(req, res, url.pathname, body)

  const m = /^\/(api|rest)(\/.*)?$/.exec(url.pathname)
  const style: Style = m?.[1] === 'rest' ? 'rest' : 'api'
  state.requests++
  try {
    if (!m) throw operationNotFound(method, url.pathname)
    if (state.faults.latencyMs > 0) await delay(state.faults.latencyMs)
    if (style === 'api' && state.faults.restOnly) {
      // vCenter 7.0 GA/U1: the VM API exists only under /rest.
      throw new VapiError('NOT_FOUND', [message('com.vmware.vapi.rest.httpNotFound', `Not found: ${url.pathname}`, url.pathname)])
    }
    if (state.faults.errorRate > 0 && config.draw() < state.faults.errorRate) {
      throw new VapiError('SERVICE_UNAVAILABLE', [
        message('com.vmware.vapi.endpoint.service_unavailable', 'The service is temporarily unavailable (lab fault injection).'),
      ])
    }
    let segments: string[]
    try {
      segments = (m[2] ?? '').split('/').filter(Boolean).map(decodeURIComponent)
    } catch {
      throw new VapiError('INVALID_ARGUMENT', [message('vapi.bindings.method.invalid.argument', 'The request path is not valid percent-encoding.')])
    }
    let parsed: unknown
    if (body.trim() !== '') {
      try {
        parsed = JSON.parse(body)
      } catch {
        throw new VapiError('INVALID_ARGUMENT', [message('vapi.bindings.method.invalid.argument', 'The request body is not valid JSON.')])
      }
    }
    const sessionPath = style === 'api' ? segments.join('/') === 'session' : segments.join('/') === 'com/vmware/cis/session'
    if (sessionPath) return sendReply(res, sessionCall(state, config, req, method, url.searchParams, style), style)

    const session = state.sessions.use(sessionToken(req))
    if (!session) throw unauthenticated()
    const call: Call = { style, method, segments, query: url.searchParams, body: parsed, session }
    sendReply(res, route(state, call), style)
  } catch (err) {
    if (!(err instanceof VapiError)) throw err
    sendError(res, err, style)
  }
}

/** POST create (Basic auth), GET / `?~action=get` info, DELETE. */
function sessionCall(state: LabState, config: ServerConfig, req: IncomingMessage, method: string, query: URLSearchParams, style: Style): Reply {
  const token = sessionToken(req)
  const wantsInfo = method === 'GET' || (method === 'POST' && style === 'rest' && query.get('~action') === 'get')
  if (method === 'POST' && !wantsInfo) {
    const creds = basicAuth(req)
    if (!creds || creds.user.toLowerCase() !== config.user.toLowerCase() || creds.password !== config.password) {
      throw unauthenticated()
    }
    const created = state.sessions.create(config.user)
    return style === 'api' ? { kind: 'created', body: created } : ok(created)
  }
  const s = state.sessions.use(token)
  if (!s) throw unauthenticated()
  if (wantsInfo) {
    return ok({
      user: s.user.replace(/^([^@]+)@(.+)$/, (_, u: string, d: string) => `${u[0]?.toUpperCase() ?? ''}${u.slice(1)}@${d.toUpperCase()}`),
      created_time: new Date(s.created).toISOString(),
      last_accessed_time: new Date(s.lastAccessed).toISOString(),
    })
  }
  if (method === 'DELETE' && token) {
    state.sessions.delete(token)
    return { kind: 'void' }
  }
  throw operationNotFound(method, style === 'api' ? '/api/session' : '/rest/com/vmware/cis/session')
}
