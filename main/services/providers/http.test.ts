import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Agent } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PortholeError } from '../../../contract/errors'
import { exchange, transportError, type HttpExchange } from './http'

const dispatcher = new Agent()
let server: http.Server
let base: string
const received: { method: string | undefined; headers: http.IncomingHttpHeaders; body: string }[] = []

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    req.on('end', () => {
      received.push({ method: req.method, headers: req.headers, body })
      if (req.url === '/slow') return // never answers: the timeout must end it
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json', 'x-subject-token': 'tok' })
      res.end('{"ok":true}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  await dispatcher.close()
})

function x(path: string, more: Partial<HttpExchange> = {}): HttpExchange {
  return { provider: 'ZStack', method: 'GET', url: `${base}${path}`, signal: new AbortController().signal, dispatcher, timeoutMs: 5_000, ...more }
}

async function failure(p: Promise<unknown>): Promise<PortholeError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(PortholeError)
  return err as PortholeError
}

describe('provider HTTP exchange', () => {
  it('sends a JSON body with its content type and answers an HTTP error status instead of throwing', async () => {
    received.length = 0
    const a = await exchange(x('/missing', { method: 'PUT', body: { a: 1 }, contentType: 'application/json;charset=UTF-8', headers: { authorization: 'OAuth s' } }))
    expect(a).toMatchObject({ status: 404, text: '{"ok":true}' })
    expect(a.headers['x-subject-token']).toBe('tok')
    expect(received[0]).toMatchObject({ method: 'PUT', body: '{"a":1}' })
    expect(received[0]?.headers).toMatchObject({ accept: 'application/json', 'content-type': 'application/json;charset=UTF-8', authorization: 'OAuth s' })
  })

  it('sends no body and no content type for a GET', async () => {
    received.length = 0
    expect((await exchange(x('/'))).status).toBe(200)
    expect(received[0]?.body).toBe('')
    expect(received[0]?.headers['content-type']).toBeUndefined()
  })

  it('gives up after the timeout with TIMEOUT, naming the provider', async () => {
    const err = await failure(exchange(x('/slow', { timeoutMs: 150 })))
    expect([err.code, err.message]).toEqual(['TIMEOUT', 'ZStack did not answer within 150 ms.'])
  })

  it('stops with CANCELLED when the caller aborts, before or during the request', async () => {
    const before = new AbortController()
    before.abort()
    expect((await failure(exchange(x('/', { signal: before.signal })))).code).toBe('CANCELLED')
    const during = new AbortController()
    const pending = exchange(x('/slow', { signal: during.signal }))
    setTimeout(() => during.abort(), 50)
    expect((await failure(pending)).code).toBe('CANCELLED')
  })

  it('turns a refused connection into PROVIDER_UNAVAILABLE with the reason', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const err = await failure(exchange(x('/', { url: `http://127.0.0.1:${port}/`, provider: 'vCenter' })))
    expect(err.code).toBe('PROVIDER_UNAVAILABLE')
    expect(err.message).toMatch(/^Cannot reach vCenter: /)
    expect(err.detail).toEqual({ reason: 'ECONNREFUSED' })
  })

  it('maps certificate failures anywhere in the cause chain to TLS_UNTRUSTED, and lets a PortholeError through', () => {
    const tls = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })
    const err = transportError(new Error('fetch failed', { cause: tls }), 'OpenStack')
    expect([err.code, err.message, err.detail]).toEqual(['TLS_UNTRUSTED', 'The OpenStack certificate is not trusted.', { reason: 'DEPTH_ZERO_SELF_SIGNED_CERT' }])
    const own = new PortholeError('TLS_UNTRUSTED', 'The pinned certificate changed.', { detail: { reason: 'PIN_MISMATCH' } })
    expect(transportError(new Error('wrapped', { cause: own }), 'OpenStack')).toBe(own)
  })
})
