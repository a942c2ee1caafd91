import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../csp'
import { APP_ENTRY_URL, APP_ORIGIN, originOf, rendererLocation } from './app-origin'
import { appProtocolHandler, registerAppScheme } from './app-protocol'

let dir: string
let root: string
let handler: (request: Request) => Promise<Response>

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-protocol-'))
  root = path.join(dir, 'renderer')
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Porthole</title>')
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)')
  // Secrets next to the renderer, which no URL may reach.
  fs.writeFileSync(path.join(dir, 'vault.json'), 'SECRET')
  fs.writeFileSync(path.join(dir, 'renderer-secrets.txt'), 'SECRET')
  handler = appProtocolHandler(root)
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const get = (url: string, method = 'GET'): Promise<Response> => handler(new Request(url, { method }))

describe('app:// protocol handler', () => {
  it('serves index.html at the root with the CSP header', async () => {
    const res = await get(`${APP_ORIGIN}/`)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<title>Porthole</title>')
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('serves assets with their type', async () => {
    const res = await get(`${APP_ORIGIN}/assets/index-abc.js`)
    expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([
      200,
      'text/javascript; charset=utf-8',
      'console.log(1)',
    ])
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
  })

  it.each([
    '/..%2fvault.json',
    '/%2e%2e/vault.json',
    '/assets/..%2f..%2fvault.json',
    '/..%5cvault.json',
    '/%2e%2e%2frenderer-secrets.txt',
  ])('refuses %s, which points outside the renderer', async (p) => {
    const res = await get(`${APP_ORIGIN}${p}`)
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(await res.text()).not.toContain('SECRET')
  })

  it('refuses an absolute path smuggled in with encoded slashes', async () => {
    const res = await get(`${APP_ORIGIN}/${encodeURIComponent(path.join(dir, 'vault.json'))}`)
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(await res.text()).not.toContain('SECRET')
  })

  it('does not serve another host, other methods, malformed escapes or NUL', async () => {
    expect((await get('app://elsewhere/index.html')).status).toBe(404)
    expect((await get(`${APP_ORIGIN}/index.html`, 'POST')).status).toBe(405)
    expect((await get(`${APP_ORIGIN}/%E0%A4%A`)).status).toBe(400)
    expect((await get(`${APP_ORIGIN}/index.html%00.js`)).status).toBe(400)
  })

  it('answers a missing asset with 404 but a client route with index.html', async () => {
    expect((await get(`${APP_ORIGIN}/assets/missing.js`)).status).toBe(404)
    const route = await get(`${APP_ORIGIN}/consoles/vm-42`)
    expect([route.status, await route.text()]).toEqual([200, '<!doctype html><title>Porthole</title>'])
  })

  it('registers the scheme as standard and secure, without bypassing CSP', () => {
    const register = vi.fn()
    registerAppScheme({ registerSchemesAsPrivileged: register })
    const [[schemes]] = register.mock.calls as [[{ scheme: string; privileges: Record<string, boolean> }[]]]
    expect(schemes).toHaveLength(1)
    expect(schemes[0]).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true } })
    expect(schemes[0]?.privileges.bypassCSP).toBeUndefined()
  })
})

describe('renderer location', () => {
  it('is the app origin when packaged, whatever the environment says', () => {
    expect(rendererLocation(true, 'http://localhost:5173/')).toEqual({ url: APP_ENTRY_URL, origin: APP_ORIGIN, dev: false })
    expect(rendererLocation(false, undefined)).toEqual({ url: APP_ENTRY_URL, origin: APP_ORIGIN, dev: false })
  })

  it('is the dev server in development, and only on loopback', () => {
    expect(rendererLocation(false, 'http://localhost:5173/')).toEqual({
      url: 'http://localhost:5173/',
      origin: 'http://localhost:5173',
      dev: true,
    })
    expect(() => rendererLocation(false, 'https://evil.example/')).toThrow(/loopback/)
    expect(() => rendererLocation(false, 'file:///tmp/index.html')).toThrow(/loopback/)
  })

  it('computes origins for custom schemes, which URL#origin reports as "null"', () => {
    expect(new URL(APP_ENTRY_URL).origin).toBe('null')
    expect(originOf(APP_ENTRY_URL)).toBe(APP_ORIGIN)
    expect(originOf('http://127.0.0.1:8080/x?y')).toBe('http://127.0.0.1:8080')
    expect([originOf('about:blank'), originOf('data:text/html,x'), originOf('not a url')]).toEqual([null, null, null])
  })
})
