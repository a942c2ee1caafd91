// The ZStack console proxy (reference §6): RequestConsoleAccess tokens `<session>_<vm>` valid for
// console/vnc.token.timeout, and a websockify 0.9.0 stand-in that picks the target from the
// `token` query parameter (any path), speaks binary frames (subprotocol `binary` or none), drops
// the connection on a missing or unknown token, and exits after console/proxy.idleTimeout with
// no connections; the next RequestConsoleAccess starts it again.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import type { ConsoleSources } from '../consoles/console-sources'
import { WsBridge } from '../consoles/ws-bridge'

interface Token {
  vmUuid: string
  vmName: string
  sessionUuid: string
  expires: number
}

export interface ConsoleProxyOptions {
  sources: ConsoleSources
  idleMs(): number
  tokenMs(): number
  now?(): number
}

export interface ConsoleGrant {
  port: number
  token: string
  expires: number
}

export class ConsoleProxy {
  private readonly tokens = new Map<string, Token>()
  private readonly bridge = new WsBridge()
  private readonly live = new Set<Duplex>()
  private server: http.Server | undefined
  private starting: Promise<number> | undefined
  private idleTimer: NodeJS.Timeout | undefined
  private lastPort = 0
  /** How many times the proxy has started (a restart after idling counts). */
  starts = 0

  constructor(private readonly options: ConsoleProxyOptions) {}

  private now(): number {
    return this.options.now?.() ?? Date.now()
  }

  get running(): boolean {
    return this.server !== undefined
  }

  get connections(): number {
    return this.live.size
  }

  get port(): number {
    return this.lastPort
  }

  /** A token for the session and VM (the same one while it is valid), with the proxy started. */
  async grant(sessionUuid: string, vm: { uuid: string; name: string }): Promise<ConsoleGrant> {
    const token = `${sessionUuid}_${vm.uuid}`
    let t = this.tokens.get(token)
    if (!t || t.expires <= this.now()) {
      t = { vmUuid: vm.uuid, vmName: vm.name, sessionUuid, expires: this.now() + this.options.tokenMs() }
      this.tokens.set(token, t)
    }
    const port = await this.ensureRunning()
    return { port, token, expires: t.expires }
  }

  /** The session logged out: its tokens go (connections already open stay). */
  forgetSession(sessionUuid: string): void {
    for (const [k, t] of this.tokens) if (t.sessionUuid === sessionUuid) this.tokens.delete(k)
  }

  /** The VM stopped or is stopping: its tokens go and its console source closes. */
  forgetVm(vmUuid: string): void {
    for (const [k, t] of this.tokens) if (t.vmUuid === vmUuid) this.tokens.delete(k)
    void this.options.sources.close(vmUuid)
  }

  get tokenCount(): number {
    return this.tokens.size
  }

  private ensureRunning(): Promise<number> {
    if (this.server) {
      this.armIdle()
      return Promise.resolve(this.lastPort)
    }
    this.starting ??= this.listen().finally(() => (this.starting = undefined))
    return this.starting
  }

  private async listen(): Promise<number> {
    const server = http.createServer((_req, res) => {
      res.writeHead(405, { 'Content-Type': 'text/plain', Connection: 'close' })
      res.end('Method Not Allowed')
    })
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head))
    // Come back on the same port after idling out, as websockify does on its fixed port.
    const tryListen = (port: number): Promise<void> =>
      new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject)
          resolve()
        })
      })
    try {
      await tryListen(this.lastPort)
    } catch (e) {
      if (this.lastPort === 0) throw e
      await tryListen(0)
    }
    this.lastPort = (server.address() as AddressInfo).port
    this.server = server
    this.starts++
    this.armIdle()
    return this.lastPort
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = undefined
    if (this.live.size > 0 || !this.server) return
    this.idleTimer = setTimeout(() => this.exit(), this.options.idleMs())
    this.idleTimer.unref()
  }

  private exit(): void {
    const server = this.server
    this.server = undefined
    this.idleTimer = undefined
    server?.close()
  }

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy())
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const token = url.searchParams.get('token')?.replace(/\n+$/, '')
    const t = token ? this.tokens.get(token) : undefined
    // websockify raises EClose before the handshake: the client sees the connection drop.
    if (!t || t.expires <= this.now()) {
      if (t && token) this.tokens.delete(token)
      socket.destroy()
      return
    }
    this.live.add(socket)
    this.armIdle()
    socket.once('close', () => {
      this.live.delete(socket)
      this.armIdle()
    })
    this.options.sources.open(t.vmUuid, { name: t.vmName }).then(
      (source) => {
        if (socket.destroyed) return
        this.bridge.handleUpgrade(req, socket, head, this.bridge.issue({ host: '127.0.0.1', port: source.vncPort }))
      },
      () => socket.destroy(),
    )
  }

  /** Stops the proxy and every bridged connection. */
  async stop(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.bridge.close()
    for (const s of this.live) s.destroy()
    const server = this.server
    this.server = undefined
    server?.closeAllConnections()
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    await this.options.sources.closeAll()
  }
}
