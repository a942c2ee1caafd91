import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { contentTypeOf } from './content-types'
import { CONTENT_SECURITY_POLICY } from './csp'
import { createHost, type Host, type HostOptions } from './host'
import { createFileLog } from './services/log/file-log'
import type { Log } from './services/log/log'
import { jsonFileStore } from './services/settings/json-file-store'
import { attachWebSocketTransport, newToken } from './transport/websocket'

export interface WebHostOptions {
  /** Built renderer (out/renderer). */
  rendererDir: string
  /** Where settings and logs go. */
  dataDir: string
  port?: number
  version?: string
  log?: Log
  /** Tests only: tiny KDF costs and a short auto-lock minute (see HostOptions.vault). */
  vault?: HostOptions['vault']
  /** Tests only: where imports look and a cheap export KDF (see HostOptions.profiles). */
  profiles?: HostOptions['profiles']
  /** Tests only: how long a console link stays valid unused (default 30 s). */
  consoleLinkTtlMs?: number
}

export interface WebHost {
  /** The page to open, with the token in the fragment. */
  url: string
  origin: string
  token: string
  host: Host
  close(): Promise<void>
}

function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const headers = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end()
    return
  }
  const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)
  let file = path.resolve(root, '.' + path.posix.normalize(pathname))
  if (!file.startsWith(root + path.sep) && file !== root) {
    res.writeHead(403, headers).end()
    return
  }
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html')
  const type = contentTypeOf(file)
  res.writeHead(200, { ...headers, 'Content-Type': type })
  if (req.method === 'HEAD') res.end()
  else fs.createReadStream(file).pipe(res)
}

/** The browser harness: the same host as the app, the renderer over HTTP and the contract over a WebSocket, on 127.0.0.1 only. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const rendererDir = path.resolve(options.rendererDir)
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`no built renderer in ${rendererDir}: run \`npm run build\` first`)
  }
  fs.mkdirSync(options.dataDir, { recursive: true })
  const log = options.log ?? createFileLog(options.dataDir)
  const host = createHost({
    dataDir: options.dataDir,
    version: options.version ?? '0.0.0',
    platform: process.platform,
    settingsStore: jsonFileStore(path.join(options.dataDir, 'settings.json')),
    log,
    ...(options.vault ? { vault: options.vault } : {}),
    ...(options.profiles ? { profiles: options.profiles } : {}),
    // The page's own origin, known once the server listens: the console relay accepts it.
    consoles: { origins: () => (origin ? [origin] : []), ...(options.consoleLinkTtlMs !== undefined ? { linkTtlMs: options.consoleLinkTtlMs } : {}) },
  })
  const server = http.createServer((req, res) => serveStatic(rendererDir, req, res))
  const token = newToken()
  let origin = ''
  const transport = attachWebSocketTransport({
    server,
    path: '/porthole',
    token,
    origin: () => origin,
    dispatch: host.dispatch,
    events: host.events,
    log,
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  origin = `http://127.0.0.1:${port}`
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    host,
    async close() {
      transport.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await host.dispose()
    },
  }
}
