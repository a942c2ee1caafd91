// The ZStack lab's HTTP handling, in the order RestServer does it (reference §0–§3, §7): job
// polls before anything else (no credentials), path mapping (404 text), verb (405 text), the
// action key of a PUT body (400 text), the Authorization header (400 text), X-Job-UUID, then
// the API: sync answers 200/503, async ones 202 with a job `location` on the management node's
// own address.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readBody } from '../request-body'
import type { ApiCall, Api } from './routes'
import type { LabState } from './state'
import type { JobResult } from './jobs'
import { err, HttpError, sendError, sendJson, sendText, zerror, ZstackError } from './wire'

const MAX_BODY = 1024 * 1024
/** ApiTimeoutManager's default for most messages, in ms. */
const API_TIMEOUT_MS = 1_800_000

export interface ServerConfig {
  apis: Api[]
  /** Draws in [0,1) for the error-rate knob; seeded so a run is repeatable. */
  draw(): number
  /** Where job locations point: the management node's own `http://<ip>:8080`. */
  locationBase(): string
  /** Answers `/lab/…`. */
  control(req: IncomingMessage, res: ServerResponse, path: string, body: string): Promise<void>
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

/** The request listener shared by the lab's HTTPS and plain HTTP listeners. */
export function handler(state: LabState, config: ServerConfig) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void handle(state, config, req, res).catch((e: unknown) => {
      if (res.headersSent) return void res.destroy()
      if (e instanceof HttpError) return sendText(res, e.status, e.message)
      if (e instanceof ZstackError) return sendError(res, e)
      sendText(res, 500, e instanceof Error ? e.message : String(e))
    })
  }
}

async function handle(state: LabState, config: ServerConfig, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const method = req.method ?? 'GET'
  const body = method === 'GET' || method === 'HEAD' ? '' : await readBody(req, MAX_BODY, () => new HttpError(413, 'request body too large'))
  if (url.pathname.startsWith('/lab/')) return config.control(req, res, url.pathname, body)

  let path: string
  try {
    path = decodeURIComponent(url.pathname)
  } catch {
    throw new HttpError(400, `invalid URL ${url.pathname}`)
  }
  if (!path.startsWith('/zstack/v1/')) throw new HttpError(404, `no api mapping to ${path}`)
  path = path.slice('/zstack'.length)
  if (state.faults.latencyMs > 0) await delay(state.faults.latencyMs)

  const job = /^\/v1\/api-jobs\/([^/]+)$/.exec(path)
  if (job) return jobQuery(state, req, res, method, job[1] as string)

  const candidates = config.apis.flatMap((api) => {
    const m = api.pattern.exec(path)
    return m ? [{ api, vars: m.slice(1) }] : []
  })
  if (candidates.length === 0) throw new HttpError(404, `no api mapping to ${path}`)
  const found = candidates.find((c) => c.api.method === method)
  if (!found) throw new HttpError(405, `the API at ${path} does not accept the ${method} method`)
  const { api, vars } = found

  let parsed: Record<string, unknown> = {}
  if (body.trim() !== '') {
    try {
      parsed = record(JSON.parse(body))
    } catch (e) {
      // Gson's exception escapes to the servlet's catch-all.
      throw new HttpError(500, `com.google.gson.JsonSyntaxException: ${(e as Error).message}`)
    }
  }
  let action: string | undefined
  let params: Record<string, unknown> = {}
  if (api.actions) {
    action = api.actions.find((a) => a in parsed)
    if (!action) throw new HttpError(400, `the body doesn't contain action mapping to the URL[${path}]`)
    params = record(parsed[action])
  } else if (api.param) {
    params = record(parsed[api.param])
  }

  let sessionUuid: string | undefined
  if (api.auth) {
    const auth = header(req, 'authorization')?.trim()
    if (auth === undefined) throw new HttpError(400, "missing header 'Authorization'")
    if (auth.startsWith('ZStack')) throw new HttpError(400, 'the lab does not support access-key authentication')
    if (!auth.startsWith('OAuth')) throw new HttpError(400, "Authorization type must be 'OAuth'")
    sessionUuid = auth.slice('OAuth'.length).trim()
  }

  const jobUuid = header(req, 'x-job-uuid')
  if (jobUuid !== undefined) {
    if (jobUuid.length !== 32) throw new HttpError(400, "Invalid header[X-Job-UUID], it must be a UUID with '-' stripped")
    if (method !== 'GET' && state.jobs.has(jobUuid)) throw new HttpError(400, `Duplicate job uuid[${jobUuid}]`)
  }
  const wantsSchema = header(req, 'x-json-schema') !== undefined

  // Authorization and the error-rate knob act as API interceptors: a sync call fails in the
  // reply, an async one is accepted first and fails through its job.
  const intercept = (): ApiCall => {
    const session = api.auth ? state.sessions.use(sessionUuid) : undefined
    if (api.auth && !session) throw zerror('ID.1001', 'Session expired')
    if (state.faults.errorRate > 0 && config.draw() < state.faults.errorRate) {
      throw zerror('SYS.1012', 'lab fault: the management node is unavailable, try again later')
    }
    return { vars, query: url.searchParams, action, params, session }
  }

  if (api.sync) {
    const answer = api.sync(intercept())
    const out = { ...answer.body }
    if (answer.schema && (wantsSchema || answer.alwaysSchema)) out.schema = answer.schema
    return sendJson(res, 200, out)
  }
  const run = api.async
  if (!run) throw new HttpError(500, `no handler for ${path}`)
  const work = (async (): Promise<JobResult> => {
    try {
      return await run(intercept())
    } catch (e) {
      if (e instanceof ZstackError) return { ok: false, error: e.body }
      return { ok: false, error: err('SYS.1000', e instanceof Error ? e.message : String(e)) }
    }
  })()
  const id = state.jobs.start(jobUuid, work)
  const apiTimeout = header(req, 'x-api-timeout')
  sendJson(res, 202, {
    location: `${config.locationBase()}/zstack/v1/api-jobs/${id}`,
    apiTimeout: apiTimeout && /^\d+$/.test(apiTimeout) ? Number(apiTimeout) * 1000 : API_TIMEOUT_MS,
  })
}

/** GET /v1/api-jobs/{uuid}: 202 `{}` running, 200 result, 503 error, 404 text unknown. */
function jobQuery(state: LabState, req: IncomingMessage, res: ServerResponse, method: string, id: string): void {
  if (method !== 'GET') throw new HttpError(405, 'only GET method is allowed for querying job status')
  const s = state.jobs.state(id)
  if (s === undefined) throw new HttpError(404, 'the job has been expired')
  if (s === 'running') return sendJson(res, 202, {})
  if (!s.ok) return sendJson(res, 503, { error: s.error })
  const out: Record<string, unknown> = { ...s.body }
  if (s.schema && header(req, 'x-json-schema') !== undefined) out.schema = s.schema
  sendJson(res, 200, out)
}
