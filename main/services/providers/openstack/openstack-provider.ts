// The OpenStack provider (DESIGN.md "Providers"; reference/openstack.md): Keystone v3 login,
// the compute endpoint by interface and region, microversion negotiation, servers/detail
// paging, start/stop/reboot, and remote console tickets, over the Nova compute API.
import type { Dispatcher } from 'undici'
import { PortholeError } from '../../../../contract/errors'
import type { PowerState, Vm } from '../../../../contract/inventory'
import type { ConsoleKind, ConsoleTicket, PowerAction, Provider, VmDetails, VmPage } from '../provider'
import type { VmStatus } from '../registry'
import { sleep } from '../sleep'
import { OpenstackClient, type Session } from './client'
import type { EndpointInterface, KeystoneCredentials } from './keystone'
import { atLeast, REMOTE_CONSOLES, SPICE_DIRECT, WEBMKS } from './microversion'
import { LegacyConsoleBody, read, RemoteConsoleBody, ServerOne, ServersPage, type Server } from './wire'

export interface OpenstackProviderOptions {
  connectionId: string
  /** Keystone's auth_url. */
  authUrl: string
  credentials: KeystoneCredentials
  interface?: EndpointInterface
  region?: string
  dispatcher: Dispatcher
  /** Per request; default 30 s. */
  timeoutMs?: number
  /** Servers per page (Nova cuts anything above its max_limit, 1000 by default). */
  pageSize?: number
  renewBeforeMs?: number
  /** How often a GET answered 429/502/503 is tried again; default 2. */
  retries?: number
  /** Highest microversion to ask for; default what the code knows (2.100). */
  maxMicroversion?: string
  /** How long `vmPower` waits for a task under way (a start, a stop) to finish; default 60 s. */
  settleMs?: number
  now?: () => number
}

/** A console protocol and type pair as `POST /servers/{id}/remote-consoles` takes it. */
export interface RemoteConsoleKind {
  protocol: 'vnc' | 'spice' | 'serial' | 'mks'
  type: 'novnc' | 'spice-html5' | 'serial' | 'webmks' | 'spice-direct'
}

/** Nova's console tokens live [consoleauth] token_ttl, 600 s by default (reference §4.1). */
const CONSOLE_TTL_MS = 600_000

const POWER: Record<string, PowerState> = { ACTIVE: 'on', SHUTOFF: 'off', SUSPENDED: 'suspended', PAUSED: 'suspended' }
const POWER_STATE_NAMES: Record<number, string> = { 0: 'NOSTATE', 1: 'RUNNING', 3: 'PAUSED', 4: 'SHUTDOWN', 6: 'CRASHED', 7: 'SUSPENDED' }

const serverPath = (id: string): string => `/servers/${encodeURIComponent(id)}`

/** The first fixed IPv4 address, else the first address of any kind. */
function firstAddress(s: Server): string | undefined {
  const all = Object.values(s.addresses ?? {}).flat()
  return (all.find((a) => a.version === 4 && a['OS-EXT-IPS:type'] !== 'floating') ?? all.find((a) => a.version === 4) ?? all[0])?.addr
}

/**
 * The marker of the page after this one, or undefined when there is none. Nova links the next
 * page only when this one came back full; the marker is read from the link (else the last
 * server's id) but the request is built by the caller, so the token never goes to another host.
 * Read from the raw answer, before the page is validated, so the next request can leave first.
 */
function markerAfter(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined
  const { servers, servers_links: links } = raw as { servers?: unknown; servers_links?: unknown }
  if (!Array.isArray(servers) || servers.length === 0 || !Array.isArray(links)) return undefined
  const next = links.find((l: unknown) => typeof l === 'object' && l !== null && (l as { rel?: unknown }).rel === 'next') as { href?: unknown } | undefined
  if (!next) return undefined
  let fromLink: string | null = null
  try {
    if (typeof next.href === 'string') fromLink = new URL(next.href).searchParams.get('marker')
  } catch {
    fromLink = null
  }
  if (fromLink !== null) return fromLink
  const last = servers[servers.length - 1] as { id?: unknown }
  return typeof last?.id === 'string' ? last.id : undefined
}

export class OpenstackProvider implements Provider {
  readonly kind = 'openstack' as const
  readonly connectionId: string
  private readonly client: OpenstackClient

  constructor(private readonly options: OpenstackProviderOptions) {
    this.connectionId = options.connectionId
    this.client = new OpenstackClient({
      authUrl: options.authUrl,
      credentials: options.credentials,
      dispatcher: options.dispatcher,
      ...(options.interface !== undefined ? { interface: options.interface } : {}),
      ...(options.region !== undefined ? { region: options.region } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.renewBeforeMs !== undefined ? { renewBeforeMs: options.renewBeforeMs } : {}),
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.maxMicroversion !== undefined ? { maxMicroversion: options.maxMicroversion } : {}),
      ...(options.now !== undefined ? { now: options.now } : {}),
    })
  }

  /** What login learnt (token excluded): user, project, region, compute URL and microversions. */
  get session(): Omit<Session, 'token'> | undefined {
    const s = this.client.session
    if (!s) return undefined
    const { token: _t, ...rest } = s
    return rest
  }

  /** Authenticates with Keystone, picks the compute endpoint and negotiates the microversion. */
  async login(signal: AbortSignal): Promise<void> {
    await this.client.login(signal)
  }

  /** Revokes the token. */
  logout(signal: AbortSignal): Promise<void> {
    return this.client.logout(signal)
  }

  private async ensureSession(signal: AbortSignal): Promise<Session> {
    return this.client.session ?? (await this.client.login(signal))
  }

  /**
   * Every server of the project in the region, a page (at most 1,000) at a time, each exactly
   * once. The next page is asked for as soon as this one's marker is known, before this one is
   * checked, normalized and handed on: Nova builds the next page while main works on this one
   * (markers chain the pages, so this is the only overlap there is).
   */
  async *listVms(signal: AbortSignal): AsyncIterable<VmPage> {
    await this.ensureSession(signal)
    const size = Math.max(1, Math.min(this.options.pageSize ?? 1000, 1000))
    const seen = new Set<string>()
    const fetchPage = (marker: string | undefined): Promise<unknown> => {
      const query = `?limit=${size}${marker !== undefined ? `&marker=${encodeURIComponent(marker)}` : ''}`
      const pending = this.client.compute('GET', `/servers/detail${query}`, undefined, 'list', signal)
      // Awaited in turn below; a page still in flight when the walk stops must not be "unhandled".
      pending.catch(() => undefined)
      return pending
    }
    let marker: string | undefined
    let pending: Promise<unknown> | undefined = fetchPage(undefined)
    while (pending) {
      const raw = await pending
      pending = undefined
      const nextMarker = markerAfter(raw)
      if (nextMarker !== undefined) {
        if (nextMarker === marker) throw new PortholeError('PROVIDER_ERROR', 'Nova returned the same page marker twice; the listing stopped.')
        marker = nextMarker
        pending = fetchPage(marker)
      }
      const page = read(ServersPage, raw, 'servers/detail')
      const vms: Vm[] = []
      for (const s of page.servers) {
        if (seen.has(s.id)) continue
        seen.add(s.id)
        vms.push(this.normalize(s))
      }
      if (vms.length > 0) yield { vms }
    }
  }

  private normalize(s: Server): Vm {
    const session = this.client.session
    const status = s.status ?? 'UNKNOWN'
    const raw: Record<string, string> = { status }
    const task = s['OS-EXT-STS:task_state']
    const vmState = s['OS-EXT-STS:vm_state']
    const powerState = s['OS-EXT-STS:power_state']
    if (task) raw.task_state = task
    if (vmState) raw.vm_state = vmState
    if (typeof powerState === 'number') raw.power_state = POWER_STATE_NAMES[powerState] ?? String(powerState)
    const flavor = s.flavor?.original_name ?? s.flavor?.id
    if (flavor) raw.flavor = flavor
    const az = s['OS-EXT-AZ:availability_zone']
    if (az) raw.availability_zone = az
    if (s.locked === true) raw.locked = 'true'
    if (s.fault?.message) raw.fault = s.fault.message.slice(0, 500)
    const project = session?.project?.name
    const region = session?.region
    if (project) raw.project = project
    if (region) raw.region = region
    const vm: Vm = {
      ref: { connectionId: this.connectionId, id: s.id },
      name: s.name ?? s.id,
      power: POWER[status] ?? 'unknown',
      // What Horizon and `openstack server list` show: the status, and the task under way if any;
      // an ERROR server says why (Nova's fault: 'No valid host was found.'), for whoever is paged.
      status: task ? `${status} · ${task}` : status === 'ERROR' && raw.fault ? `ERROR · ${oneLine(raw.fault, 160)}` : status,
      provider: 'openstack',
      raw,
    }
    const ip = firstAddress(s)
    if (ip) vm.ip = ip
    const host = s['OS-EXT-SRV-ATTR:hypervisor_hostname'] ?? s['OS-EXT-SRV-ATTR:host']
    if (host) vm.host = host
    const group = [project, region].filter(Boolean).join(' / ')
    if (group) vm.group = group
    return vm
  }

  /** One server as Nova shows it now. */
  async getServer(vmId: string, signal: AbortSignal): Promise<Vm> {
    await this.ensureSession(signal)
    return this.normalize(read(ServerOne, await this.client.compute('GET', serverPath(vmId), undefined, 'server', signal), 'GET server').server)
  }

  /**
   * Power as the inventory shows it, once Nova has finished what it is doing to the server. A
   * start or stop answers 202 and keeps `task_state` (powering-off, …) set while the status is
   * still the old one: reading at once would show the old power as if the action had done
   * nothing. So this polls with backoff while a task is under way, up to `settleMs`.
   */
  async vmPower(vmId: string, signal: AbortSignal): Promise<PowerState> {
    return (await this.vmStatus(vmId, signal)).power
  }

  /**
   * Power and Nova's status ('SHUTOFF') once the task under way has finished, as `vmPower`
   * waits for it; `progress` hears each reading while the task runs ('ACTIVE · powering-off').
   */
  async vmStatus(vmId: string, signal: AbortSignal, progress?: (state: VmStatus) => void): Promise<VmStatus> {
    const deadline = Date.now() + (this.options.settleMs ?? 60_000)
    for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
      const vm = await this.getServer(vmId, signal)
      const state: VmStatus = { power: vm.power, status: vm.status ?? '' }
      if (vm.raw.task_state === undefined || Date.now() + wait > deadline) return state
      progress?.(state)
      await sleep(wait, signal)
    }
  }

  /** Address and hypervisor of one server. */
  async vmDetails(vmId: string, signal: AbortSignal): Promise<VmDetails> {
    const vm = await this.getServer(vmId, signal)
    const details: VmDetails = {}
    if (vm.ip !== undefined) details.ip = vm.ip
    if (vm.host !== undefined) details.hostName = vm.host
    return details
  }

  private action(vmId: string, body: unknown, signal: AbortSignal): Promise<unknown> {
    return this.client.compute('POST', `${serverPath(vmId)}/action`, body, 'action', signal)
  }

  /**
   * on: start (or resume/unpause a suspended/paused server); off and shutdown: stop (Nova's stop
   * asks the guest first); reset: HARD reboot; reboot: SOFT reboot; suspend: suspend. The call
   * returns when Nova accepted it (202); the status changes later.
   */
  async power(vmId: string, action: PowerAction, signal: AbortSignal): Promise<void> {
    await this.ensureSession(signal)
    switch (action) {
      case 'on': {
        const status = (await this.getServer(vmId, signal)).raw.status
        if (status === 'ACTIVE') return
        const body = status === 'SUSPENDED' ? { resume: null } : status === 'PAUSED' ? { unpause: null } : { 'os-start': null }
        await this.action(vmId, body, signal)
        return
      }
      case 'off':
      case 'shutdown':
        try {
          await this.action(vmId, { 'os-stop': null }, signal)
        } catch (err) {
          // Already stopped: the wish is fulfilled.
          if (err instanceof PortholeError && err.code === 'VM_STATE' && /vm_state stopped\b/.test(err.message)) return
          throw err
        }
        return
      case 'reset':
        await this.action(vmId, { reboot: { type: 'HARD' } }, signal)
        return
      case 'reboot':
        await this.action(vmId, { reboot: { type: 'SOFT' } }, signal)
        return
      case 'suspend':
        await this.action(vmId, { suspend: null }, signal)
        return
      case 'standby':
        throw new PortholeError('UNSUPPORTED', 'OpenStack has no standby action.')
    }
  }

  /** Which console kinds the negotiated microversion allows, or why none. */
  async consoleSupport(signal: AbortSignal): Promise<{ available: RemoteConsoleKind[]; reason?: string }> {
    const s = await this.ensureSession(signal)
    if (!atLeast(s.maxVersion, REMOTE_CONSOLES) || !atLeast(s.microversion, REMOTE_CONSOLES)) {
      const max = s.maxVersion ? `maximum microversion ${s.maxVersion}` : 'no microversions'
      return {
        available: [],
        reason: `Consoles need compute API microversion ${REMOTE_CONSOLES} or later (remote consoles); this cloud offers ${max}.`,
      }
    }
    const available: RemoteConsoleKind[] = [
      { protocol: 'vnc', type: 'novnc' },
      { protocol: 'serial', type: 'serial' },
      { protocol: 'spice', type: 'spice-html5' },
    ]
    if (atLeast(s.microversion, WEBMKS)) available.push({ protocol: 'mks', type: 'webmks' })
    if (atLeast(s.microversion, SPICE_DIRECT)) available.push({ protocol: 'spice', type: 'spice-direct' })
    return { available }
  }

  /**
   * Asks Nova for every console kind the microversion allows and reports which the deployment
   * offers for this server (each answer is a fresh token, unused and left to expire).
   */
  async offeredConsoles(vmId: string, signal: AbortSignal): Promise<{ offered: RemoteConsoleKind[]; refused: { kind: RemoteConsoleKind; code: string; message: string }[] }> {
    const { available } = await this.consoleSupport(signal)
    const offered: RemoteConsoleKind[] = []
    const refused: { kind: RemoteConsoleKind; code: string; message: string }[] = []
    for (const kind of available) {
      try {
        await this.remoteConsole(vmId, kind, signal)
        offered.push(kind)
      } catch (err) {
        // Not this kind (400/501) is an answer; anything else (server gone, auth, network) is not.
        if (!(err instanceof PortholeError) || err.code !== 'UNSUPPORTED') throw err
        refused.push({ kind, code: err.code, message: err.message })
      }
    }
    return { offered, refused }
  }

  /** `POST /servers/{id}/remote-consoles` for any protocol and type; the URL carries a token and stays in main. */
  async remoteConsole(vmId: string, kind: RemoteConsoleKind, signal: AbortSignal): Promise<{ protocol: string; type: string; url: string }> {
    const support = await this.consoleSupport(signal)
    if (!support.available.some((k) => k.protocol === kind.protocol && k.type === kind.type)) {
      throw new PortholeError(
        'UNSUPPORTED',
        support.reason ?? `The ${kind.protocol}/${kind.type} console needs a newer compute microversion than this cloud offers (${this.client.session?.microversion ?? 'none'}).`,
        { detail: { protocol: kind.protocol, type: kind.type } },
      )
    }
    const needed = kind.type === 'spice-direct' ? SPICE_DIRECT : kind.type === 'webmks' ? WEBMKS : REMOTE_CONSOLES
    const value = await this.client.compute('POST', `${serverPath(vmId)}/remote-consoles`, { remote_console: kind }, 'console', signal, this.versionFor(needed))
    return read(RemoteConsoleBody, value, 'remote-consoles').remote_console
  }

  /** The session's microversion, which is at least `needed` once consoleSupport said yes. */
  private versionFor(needed: string): string {
    const v = this.client.session?.microversion
    return v !== undefined && atLeast(v, needed) ? v : needed
  }

  /** 'rfb' → vnc/novnc through the relay; 'serial' → the serial proxy; 'external' has no OpenStack form. */
  async consoleTicket(vmId: string, kind: ConsoleKind, signal: AbortSignal): Promise<ConsoleTicket> {
    if (kind === 'external') {
      throw new PortholeError('UNSUPPORTED', 'OpenStack consoles open inside Porthole (VNC or serial); there is no external viewer ticket.')
    }
    const rc = await this.remoteConsole(vmId, kind === 'rfb' ? { protocol: 'vnc', type: 'novnc' } : { protocol: 'serial', type: 'serial' }, signal)
    const expiresAt = Date.now() + CONSOLE_TTL_MS
    return { kind, url: websocketUrl(rc.url, rc.type), subprotocols: ['binary'], expiresAt }
  }

  /** Legacy `os-getVNCConsole` (microversions below 2.6 only); kept for callers that opt in. */
  async legacyVncConsole(vmId: string, signal: AbortSignal): Promise<string> {
    await this.ensureSession(signal)
    const value = await this.client.compute('POST', `${serverPath(vmId)}/action`, { 'os-getVNCConsole': { type: 'novnc' } }, 'console', signal, '2.1')
    return read(LegacyConsoleBody, value, 'os-getVNCConsole').console.url
  }
}

/**
 * The websocket a console URL leads to (reference §4.3): noVNC's page URL carries the path in
 * `path=%3Ftoken%3D…`, so `https://H:P/vnc_auto.html?path=%3Ftoken%3DX` → `wss://H:P/?token=X`;
 * serial URLs are websockets already.
 */
/** Text on one line, at most `max` characters (an ellipsis where it was cut). */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`
}

export function websocketUrl(raw: string, type: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new PortholeError('PROVIDER_ERROR', 'Nova returned a console URL that is not a URL.')
  }
  const scheme: Record<string, string> = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' }
  const ws = scheme[url.protocol]
  if (!ws) throw new PortholeError('PROVIDER_ERROR', `Unexpected console URL scheme ${url.protocol}`)
  if (type === 'novnc') {
    const path = url.searchParams.get('path')
    const token = url.searchParams.get('token')
    const tail = path !== null ? path.replace(/^\/+/, '') : token !== null ? `?token=${encodeURIComponent(token)}` : undefined
    if (tail === undefined) throw new PortholeError('PROVIDER_ERROR', 'The noVNC console URL carries no token.')
    return `${ws}//${url.host}/${tail}`
  }
  url.protocol = ws
  return url.toString()
}
