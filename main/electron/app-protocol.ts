import fs from 'node:fs/promises'
import path from 'node:path'
import type { Protocol } from 'electron'
import { contentTypeOf } from '../content-types'
import { CONTENT_SECURITY_POLICY } from '../csp'
import { APP_HOST, APP_SCHEME } from './app-origin'

/**
 * Must run before `app` is ready. `standard` gives the scheme real origins and relative URL
 * resolution, `secure` makes it a secure context (needed for crypto.subtle, clipboard…);
 * no `bypassCSP`: the page's policy applies to it like to any other origin.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
    },
  ])
}

function respond(status: number, body: Uint8Array | null, type?: string): Response {
  const headers = new Headers({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  })
  if (type) headers.set('Content-Type', type)
  return new Response(body, { status, headers })
}

/**
 * The `app://porthole/…` handler: files from the built renderer and nothing else. A path
 * that resolves outside `rendererDir` (`..`, encoded slashes, absolute paths) is refused
 * before the disk is touched; a missing asset is a 404, while an extension-less path falls
 * back to index.html so client-side routes survive a reload.
 */
export function appProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const root = path.resolve(rendererDir)
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, null)
    const url = new URL(request.url)
    if (url.host !== APP_HOST) return respond(404, null)
    let pathname: string
    try {
      pathname = decodeURIComponent(url.pathname)
    } catch {
      return respond(400, null)
    }
    if (pathname.includes('\0')) return respond(400, null)
    const relative = pathname.replace(/^\/+/, '') || 'index.html'
    const file = path.resolve(root, relative)
    const inside = path.relative(root, file)
    if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return respond(403, null)

    let target = file
    const stat = await fs.stat(target).catch(() => null)
    if (!stat?.isFile()) {
      if (path.extname(relative) !== '') return respond(404, null)
      target = path.join(root, 'index.html')
    }
    const type = contentTypeOf(target)
    if (request.method === 'HEAD') return respond(200, null, type)
    try {
      return respond(200, await fs.readFile(target), type)
    } catch {
      return respond(404, null)
    }
  }
}

/** Serves the renderer on the app scheme in the given session's protocol registry (after ready). */
export function serveAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, appProtocolHandler(rendererDir))
}
