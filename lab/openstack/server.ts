// The OpenStack lab's HTTP handling on one listener: `/identity/…` is Keystone, `/<r1|r2>/
// <public|internal|admin>/compute/…` is Nova of that region as reached through that interface
// (so a client's endpoint choice is observable), `/lab/…` is the control endpoint.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readBody } from '../request-body'
import { authenticate, identityVersions, type KeystoneContext } from './keystone'
import { compute, type NovaContext } from './nova'
import { keystoneError, LabHttpError, requestId, routerNotFound, send, tokenRefused } from './wire'

const MAX_BODY = 1024 * 1024
const REGIONS: Record<string, string> = { r1: 'RegionOne', r2: 'RegionTwo' }

export interface ServerConfig {
  keystone(): KeystoneContext
  nova: NovaContext
  latencyMs(): number
  /** Counts requests per `${region}/${interface}`. */
  hit(key: string): void
  control(req: IncomingMessage, res: ServerResponse, path: string, body: string): Promise<void>
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** The request listener for the lab's HTTPS server. */
export function handler(config: ServerConfig) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void handle(config, req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy()
      const ids = { 'x-openstack-request-id': requestId() }
      if (err instanceof LabHttpError) return send(res, err.status, err.body, { ...ids, ...err.headers }, err.contentType)
      send(res, 500, { computeFault: { code: 500, message: String(err) } }, ids, 'application/json; charset=UTF-8')
    })
  }
}

async function handle(config: ServerConfig, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1')
  const method = req.method ?? 'GET'
  const body = method === 'GET' || method === 'HEAD' ? '' : await readBody(req, MAX_BODY, () => new LabHttpError(413, { overLimit: { code: 413, message: 'Request is too large.' } }))
  if (url.pathname.startsWith('/lab/')) return config.control(req, res, url.pathname, body)
  const latency = config.latencyMs()
  if (latency > 0) await delay(latency)
  const id = requestId()

  const ks = /^\/identity(\/.*)?$/.exec(url.pathname)
  if (ks) {
    const rest = (ks[1] ?? '/').replace(/\/+$/, '')
    const ctx = config.keystone()
    if (rest === '' && method === 'GET') {
      const v = identityVersions(ctx.origin, false)
      return send(res, v.status, v.body, { 'x-openstack-request-id': id })
    }
    if (rest === '/v3' && method === 'GET') {
      const v = identityVersions(ctx.origin, true)
      return send(res, v.status, v.body, { 'x-openstack-request-id': id })
    }
    if (rest === '/v3/auth/tokens') {
      const headers = { 'x-openstack-request-id': id }
      if (method === 'POST') {
        let json: unknown
        try {
          json = JSON.parse(body)
        } catch {
          throw keystoneError(400, 'Expecting to find application/json in Content-Type header - the server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.')
        }
        const r = authenticate(ctx, json, headers)
        return send(res, r.status, r.body, { ...headers, ...r.headers })
      }
      if (method === 'DELETE') {
        const auth = ctx.tokens.validate(String(req.headers['x-auth-token'] ?? ''))
        const subject = String(req.headers['x-subject-token'] ?? '')
        if (!auth) throw keystoneError(401, 'The request you have made requires authentication.', {}, { 'WWW-Authenticate': `Keystone uri="${ctx.origin}/identity"` })
        if (!ctx.tokens.revoke(subject)) throw keystoneError(404, 'Could not find token.')
        res.writeHead(204, { ...headers, 'Content-Length': 0 })
        return void res.end()
      }
    }
    throw keystoneError(404, 'The resource could not be found.')
  }

  const gl = /^\/image(\/.*)?$/.exec(url.pathname)
  if (gl) return glance(config, req, res, (gl[1] ?? '').replace(/\/+$/, ''), id)

  const nv = /^\/(r1|r2)\/(public|internal|admin)\/compute(\/.*)?$/.exec(url.pathname)
  if (!nv) throw routerNotFound()
  const region = REGIONS[nv[1] as string] as string
  config.hit(`${region}/${nv[2] as string}`)
  const root = `${config.keystone().origin}/${nv[1] as string}/${nv[2] as string}/compute`
  let segments = (nv[3] ?? '').split('/').slice(1).map(decodeURIComponent)
  // A trailing slash names the same resource (GET /v2.1/ = GET /v2.1).
  if (segments.length > 0 && segments[segments.length - 1] === '') segments = segments.slice(0, -1)
  const reply = await compute(config.nova, { method, segments, query: url.searchParams, headers: req.headers, body, root, region })
  const headers = { 'x-openstack-request-id': id, 'x-compute-request-id': id, ...reply.headers }
  if (reply.empty) {
    res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': 0, ...headers })
    return void res.end()
  }
  send(res, reply.status, reply.body, headers)
}

/**
 * A minimal Glance: version discovery and the image list, enough for real clients
 * (python-openstackclient's `server list` looks image names up) to work against the lab.
 */
function glance(config: ServerConfig, req: IncomingMessage, res: ServerResponse, rest: string, id: string): void {
  const ctx = config.keystone()
  const headers = { 'x-openstack-request-id': id }
  const v2 = { id: 'v2.16', status: 'CURRENT', links: [{ rel: 'self', href: `${ctx.origin}/image/v2/` }] }
  if (req.method !== 'GET') throw routerNotFound()
  if (rest === '' || rest === '/versions') return send(res, rest === '' ? 300 : 200, { versions: [v2] }, headers)
  if (rest === '/v2/images') {
    if (!ctx.tokens.validate(String(req.headers['x-auth-token'] ?? ''))) throw tokenRefused(`${ctx.origin}/identity`)
    const images = ctx.world.images.map((i) => ({
      id: i.id,
      name: i.name,
      status: 'active',
      visibility: 'public',
      disk_format: 'qcow2',
      container_format: 'bare',
      min_disk: 0,
      min_ram: 0,
      protected: false,
      tags: [],
      self: `/v2/images/${i.id}`,
      file: `/v2/images/${i.id}/file`,
      schema: '/v2/schemas/image',
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    }))
    return send(res, 200, { images, schema: '/v2/schemas/images', first: '/v2/images' }, headers)
  }
  throw routerNotFound()
}
