import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readBody } from './request-body'

const LIMIT = 1024
let server: http.Server
let base: string

beforeAll(async () => {
  server = http.createServer((req, res) => {
    readBody(req, LIMIT, () => new Error('too large')).then(
      (body) => res.writeHead(200).end(`${body.length}:${body.slice(0, 8)}`),
      (err: unknown) => {
        // The request is destroyed with the rejection; the answer may not reach the client.
        if (!res.headersSent && !res.destroyed) res.writeHead(413).end(err instanceof Error ? err.message : '')
      },
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('lab request body', () => {
  it('reads a body up to the limit whole, as UTF-8, across chunks', async () => {
    const body = 'ä'.repeat(LIMIT / 2) // exactly LIMIT bytes
    const res = await fetch(`${base}/`, { method: 'POST', body })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(`${LIMIT / 2}:${'ä'.repeat(8)}`)
  })

  it('rejects with the lab\'s error past the limit and drops the request', async () => {
    const outcome = await fetch(`${base}/`, { method: 'POST', body: 'x'.repeat(LIMIT * 64) }).then(
      async (res) => `HTTP ${res.status} ${await res.text()}`,
      () => 'connection dropped',
    )
    expect(outcome).toMatch(/^(HTTP 413 too large|connection dropped)$/)
  })
})
