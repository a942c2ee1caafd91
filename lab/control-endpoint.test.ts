import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { controlEndpoint } from './control-endpoint'

const TOKEN = 'admin-token-for-test'
const seen: unknown[] = []
let server: http.Server
let base: string

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
}

beforeAll(async () => {
  const handle = controlEndpoint(TOKEN, sendJson, (_req, res, pathname, json) => {
    seen.push(json)
    sendJson(res, 200, { pathname, json })
  })
  server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    req.on('end', () => void handle(req, res, new URL(req.url ?? '/', 'http://127.0.0.1').pathname, body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

async function post(body: string, authorization?: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${base}/lab/faults`, { method: 'POST', body, headers: authorization ? { authorization } : {} })
  return { status: res.status, json: await res.json() }
}

describe('lab control endpoint', () => {
  it('refuses a request without the admin token, or with another, before the routes see it', async () => {
    seen.length = 0
    expect((await post('{}')).status).toBe(401)
    expect((await post('{}', `Bearer ${TOKEN}x`)).status).toBe(401)
    expect((await post('{}', TOKEN)).status).toBe(401)
    expect(seen).toEqual([])
  })

  it('refuses a body that is not JSON', async () => {
    seen.length = 0
    const r = await post('{not json', `Bearer ${TOKEN}`)
    expect(r).toEqual({ status: 400, json: { error: 'Body is not JSON.' } })
    expect(seen).toEqual([])
  })

  it('hands the routes the parsed body, an empty body as {}', async () => {
    expect(await post('{"latencyMs": 5}', `Bearer ${TOKEN}`)).toEqual({ status: 200, json: { pathname: '/lab/faults', json: { latencyMs: 5 } } })
    expect(await post('  ', `Bearer ${TOKEN}`)).toEqual({ status: 200, json: { pathname: '/lab/faults', json: {} } })
  })
})
