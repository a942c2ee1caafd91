// The vCenter provider (DESIGN.md "Providers"; reference/vsphere.md): inventory, power, guest
// identity, console tickets and the first guest operations over the vSphere Automation REST API.
import type { Dispatcher } from 'undici'
import { z } from 'zod'
import { PortholeError } from '../../../../contract/errors'
import { POWER_CODES, type PowerState, type Vm, type VmRow } from '../../../../contract/inventory'
import type {
  ConsoleKind,
  ConsoleTicket,
  GuestCredentials,
  GuestFilePage,
  GuestOps,
  GuestProcess,
  GuestProgramSpec,
  PowerAction,
  Provider,
  VmDetails,
  VmPage,
} from '../provider'
import type { GuestFileOps } from '../guest-files'
import { VsphereClient, type ApiStyle, type Operation } from './client'
import { vsphereGuestFileOps } from './guest-transfers'
import { PartitionedListing, startParts, walkParts, type Part } from './listing'
import { FilesList, GuestIdentity, isProcessSummary, PowerInfo, ProcessInfo, ProcessSummary, read, TicketSummary, VmInfo, type VmSummary } from './wire'

export interface VsphereProviderOptions {
  connectionId: string
  /** https://vcenter.example.com[:port] */
  baseUrl: string
  username: string
  password: string
  dispatcher: Dispatcher
  /** Per request; default 30 s. */
  timeoutMs?: number
  style?: ApiStyle | 'auto'
  /** How many list calls run at once while partitioning; default 4. */
  listConcurrency?: number
  /**
   * 'folder' (default): list per datacenter and VM folder from the start, so every VM has its
   * group however small the inventory (a few dozen calls, never one per VM). 'none': one call
   * when the server allows it; groups only appear when the cap forces partitioning.
   */
  groupBy?: 'folder' | 'none'
}

/** Console tickets are valid 30 minutes if unused (reference §3.1). */
const TICKET_TTL_MS = 30 * 60_000

const POWER: Record<string, PowerState> = { POWERED_ON: 'on', POWERED_OFF: 'off', SUSPENDED: 'suspended' }
const HARD: Partial<Record<PowerAction, string>> = { on: 'start', off: 'stop', reset: 'reset', suspend: 'suspend' }

const vmPath = (id: string): string => `/vcenter/vm/${encodeURIComponent(id)}`

export class VsphereProvider implements Provider {
  readonly kind = 'vsphere' as const
  readonly connectionId: string
  readonly guest: GuestOps
  /** File info and download URLs (providers/guest-files.ts). */
  readonly guestFiles: GuestFileOps
  private readonly client: VsphereClient

  constructor(private readonly options: VsphereProviderOptions) {
    this.connectionId = options.connectionId
    this.client = new VsphereClient({
      baseUrl: options.baseUrl,
      username: options.username,
      password: options.password,
      dispatcher: options.dispatcher,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.style !== undefined ? { style: options.style } : {}),
    })
    this.guest = {
      listProcesses: (vmId, credentials, signal) => this.listProcesses(vmId, credentials, signal),
      getProcess: (vmId, credentials, pid, signal) => this.getProcess(vmId, credentials, pid, signal),
      createProcess: (vmId, credentials, spec, signal) => this.createProcess(vmId, credentials, spec, signal),
      killProcess: (vmId, credentials, pid, signal) => this.killProcess(vmId, credentials, pid, signal),
      listFiles: (vmId, credentials, path, page, signal) => this.listFiles(vmId, credentials, path, page, signal),
    }
    this.guestFiles = vsphereGuestFileOps(this.client, options.baseUrl)
  }

  /** The API style detected at login ('api' or 'rest'). */
  get style(): ApiStyle | undefined {
    return this.client.style
  }

  /** Opens a vCenter session, detecting /api versus /rest. */
  login(signal: AbortSignal): Promise<void> {
    return this.client.login(signal)
  }

  /** Deletes the session on vCenter. */
  logout(signal: AbortSignal): Promise<void> {
    return this.client.logout(signal)
  }

  /** Every VM exactly once, in pages as the (possibly partitioned) list calls answer. */
  async *listVms(signal: AbortSignal): AsyncIterable<VmPage> {
    const seen = new Set<string>()
    const listing = new PartitionedListing((op, s) => this.client.call(op, s), signal, (op, s) => this.client.callDeferred(op, s))
    const start = await startParts(listing, (this.options.groupBy ?? 'folder') === 'folder')
    for await (const page of walkParts(listing, this.options.listConcurrency ?? 4, start)) {
      const vms = this.normalize(page.part, page.vms, seen)
      if (vms) yield vms
    }
  }

  /**
   * A part's VMs not listed before, as rows at once and as Vm objects when read (VmPage.rows).
   * Its own function, not the generator's loop: V8 optimizes a function called once a page, but
   * not a loop inside a generator resumed once a page (three to five times slower here).
   */
  private normalize(part: Part, listed: VmSummary[], seen: Set<string>): VmPage | undefined {
    // A folder filter that also matched nested folders would list a VM twice: keep the first.
    const summaries: VmSummary[] = []
    for (const s of listed) {
      const known = seen.size
      seen.add(s.vm)
      if (seen.size !== known) summaries.push(s)
    }
    if (summaries.length === 0) return undefined
    const host = part.host?.name
    const folder = part.folder && part.folder.name !== 'vm' ? part.folder.name : undefined
    const group = part.datacenter ? (folder ? `${part.datacenter.name}/${folder}` : part.datacenter.name) : folder
    const rows = new Array<VmRow>(summaries.length)
    for (let i = 0; i < summaries.length; i++) {
      const s = summaries[i] as VmSummary
      rows[i] = [s.vm, s.name, POWER_CODES[POWER[s.power_state] ?? 'unknown'], host ?? '', group ?? '', '', '', 0, s.power_state]
    }
    const connectionId = this.connectionId
    let vms: Vm[] | undefined
    return {
      rows,
      get vms(): Vm[] {
        // What vCenter says of a VM's state is the same for every VM of a part in one power state: one frozen record each.
        const raws = new Map<string, Readonly<Record<string, string>>>()
        const rawOf = (powerState: string): Readonly<Record<string, string>> => {
          let raw = raws.get(powerState)
          if (!raw) {
            const r: Record<string, string> = { power_state: powerState }
            if (part.datacenter) r.datacenter = part.datacenter.name
            if (part.folder) r.folder = part.folder.name
            if (part.cluster) r.cluster = part.cluster.name
            raw = Object.freeze(r)
            raws.set(powerState, raw)
          }
          return raw
        }
        vms ??= summaries.map((s) => {
          const vm: Vm = {
            ref: { connectionId, id: s.vm },
            name: s.name,
            power: POWER[s.power_state] ?? 'unknown',
            status: s.power_state,
            provider: 'vsphere',
            raw: rawOf(s.power_state),
          }
          if (host !== undefined) vm.host = host
          if (group !== undefined) vm.group = group
          return vm
        })
        return vms
      },
    }
  }

  /** VM get: name, guest OS id (e.g. UBUNTU_64) and power state. */
  async getVm(vmId: string, signal: AbortSignal): Promise<{ name: string; guestOs: string; power: PowerState }> {
    const info = read(VmInfo, await this.client.call({ method: 'GET', api: vmPath(vmId), rest: vmPath(vmId) }, signal), 'VM get')
    return { name: info.name, guestOs: info.guest_OS, power: POWER[info.power_state] ?? 'unknown' }
  }

  /** One VM's power state, cheaply (GET …/power; no device maps). */
  async powerState(vmId: string, signal: AbortSignal): Promise<PowerState> {
    const path = `${vmPath(vmId)}/power`
    const info = read(PowerInfo, await this.client.call({ method: 'GET', api: path, rest: path }, signal), 'power get')
    return POWER[info.state] ?? 'unknown'
  }

  /** Guest identity, or undefined when VMware Tools are not running (not a failure). */
  async guestIdentity(
    vmId: string,
    signal: AbortSignal,
  ): Promise<{ guestOs: string; family: string; hostName: string; ip?: string } | undefined> {
    const path = `${vmPath(vmId)}/guest/identity`
    let value: unknown
    try {
      value = await this.client.call({ method: 'GET', api: path, rest: path }, signal)
    } catch (err) {
      if (err instanceof PortholeError && err.code === 'TOOLS_NOT_RUNNING') return undefined
      throw err
    }
    const id = read(GuestIdentity, value, 'guest identity')
    return {
      guestOs: id.full_name.default_message,
      family: id.family,
      hostName: id.host_name,
      ...(id.ip_address !== undefined ? { ip: id.ip_address } : {}),
    }
  }

  /** Guest OS, IP and host name for one VM: identity when Tools run, else the configured guest OS. */
  async vmDetails(vmId: string, signal: AbortSignal): Promise<VmDetails> {
    const identity = await this.guestIdentity(vmId, signal)
    if (identity) {
      const details: VmDetails = { guestOs: identity.guestOs, hostName: identity.hostName }
      if (identity.ip !== undefined) details.ip = identity.ip
      return details
    }
    return { guestOs: (await this.getVm(vmId, signal)).guestOs }
  }

  /** Hard power (start/stop/reset/suspend) or a guest request (shutdown/reboot/standby, needs Tools). */
  async power(vmId: string, action: PowerAction, signal: AbortSignal): Promise<void> {
    const hard = HARD[action]
    const op: Operation = hard
      ? { method: 'POST', api: `${vmPath(vmId)}/power?action=${hard}`, rest: `${vmPath(vmId)}/power/${hard}`, apiBody: {} }
      : { method: 'POST', api: `${vmPath(vmId)}/guest/power?action=${action}`, rest: `${vmPath(vmId)}/guest/power?action=${action}`, apiBody: {} }
    try {
      await this.client.call(op, signal)
    } catch (err) {
      // Already there (stop of an off VM, start of a running one): the wish is fulfilled.
      if (err instanceof PortholeError && err.detail?.vsphereType === 'ALREADY_IN_DESIRED_STATE') return
      throw err
    }
  }

  /** 'rfb' → a WEBMKS ticket (VM must be on); 'external' → a VMRC ticket (any power state). */
  async consoleTicket(vmId: string, kind: ConsoleKind, signal: AbortSignal): Promise<ConsoleTicket> {
    if (kind === 'serial') throw new PortholeError('UNSUPPORTED', 'vCenter offers no serial console.')
    const type = kind === 'rfb' ? 'WEBMKS' : 'VMRC'
    const path = `${vmPath(vmId)}/console/tickets`
    const value = await this.client.call({ method: 'POST', api: path, rest: path, apiBody: { type }, restBody: { spec: { type } } }, signal)
    const raw = read(TicketSummary, value, 'console ticket create').ticket
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      throw new PortholeError('PROVIDER_ERROR', 'vCenter returned a console ticket that is not a URL.')
    }
    const expiresAt = Date.now() + TICKET_TTL_MS
    if (type === 'VMRC') {
      if (url.protocol !== 'vmrc:') throw new PortholeError('PROVIDER_ERROR', `Unexpected VMRC ticket scheme ${url.protocol}`)
      return { kind: 'external', url: raw, expiresAt }
    }
    // The WebMKS URL names the ESXi host; accept https: defensively and speak wss: to it.
    if (url.protocol === 'https:') url.protocol = 'wss:'
    if (url.protocol !== 'wss:') throw new PortholeError('PROVIDER_ERROR', `Unexpected WEBMKS ticket scheme ${url.protocol}`)
    return { kind: 'rfb', url: url.toString(), subprotocols: ['binary'], expiresAt }
  }

  private guestOp(path: string, body: Record<string, unknown>): Operation {
    if (this.client.style === 'rest') {
      throw new PortholeError('UNSUPPORTED', 'Guest operations need vCenter 7.0 U2 or later (the /api endpoints).')
    }
    return { method: 'POST', api: path, rest: path, apiBody: body, guest: true }
  }

  private async listProcesses(vmId: string, credentials: GuestCredentials, signal: AbortSignal): Promise<GuestProcess[]> {
    if (!this.client.loggedIn) await this.client.login(signal)
    const op = this.guestOp(`${vmPath(vmId)}/guest/processes?action=list`, { credentials: guestCredentials(credentials) })
    const value = await this.client.call(op, signal)
    const rows = Array.isArray(value) && value.every(isProcessSummary) ? value : read(z.array(ProcessSummary), value, 'guest processes list')
    return rows.map((p) => ({ pid: p.pid, name: p.name, owner: p.owner, command: p.command, started: p.started }))
  }

  private async getProcess(vmId: string, credentials: GuestCredentials, pid: number, signal: AbortSignal): Promise<GuestProcess> {
    if (!this.client.loggedIn) await this.client.login(signal)
    const op = this.guestOp(`${vmPath(vmId)}/guest/processes/${pid}?action=get`, { credentials: guestCredentials(credentials) })
    const p = read(ProcessInfo, await this.client.call(op, signal), 'guest process get')
    const out: GuestProcess = { pid, name: p.name, owner: p.owner, command: p.command, started: p.started }
    if (p.finished !== undefined) out.finished = p.finished
    if (p.exit_code !== undefined) out.exitCode = p.exit_code
    return out
  }

  private async createProcess(vmId: string, credentials: GuestCredentials, spec: GuestProgramSpec, signal: AbortSignal): Promise<number> {
    if (!this.client.loggedIn) await this.client.login(signal)
    const wire: Record<string, unknown> = { path: spec.path }
    if (spec.arguments !== undefined) wire.arguments = spec.arguments
    if (spec.workingDirectory !== undefined) wire.working_directory = spec.workingDirectory
    if (spec.environment !== undefined) wire.environment_variables = spec.environment
    const op = this.guestOp(`${vmPath(vmId)}/guest/processes?action=create`, { credentials: guestCredentials(credentials), spec: wire })
    return read(z.number().int().nonnegative(), await this.client.call(op, signal), 'guest process create')
  }

  private async killProcess(vmId: string, credentials: GuestCredentials, pid: number, signal: AbortSignal): Promise<void> {
    if (!this.client.loggedIn) await this.client.login(signal)
    await this.client.call(this.guestOp(`${vmPath(vmId)}/guest/processes/${pid}?action=delete`, { credentials: guestCredentials(credentials) }), signal)
  }

  private async listFiles(
    vmId: string,
    credentials: GuestCredentials,
    path: string,
    page: { index: number; size: number },
    signal: AbortSignal,
  ): Promise<GuestFilePage> {
    if (!this.client.loggedIn) await this.client.login(signal)
    const op = this.guestOp(`${vmPath(vmId)}/guest/filesystem/files?action=list`, {
      credentials: guestCredentials(credentials),
      path,
      iteration: { index: page.index, size: page.size },
    })
    const list = read(FilesList, await this.client.call(op, signal), 'guest files list')
    const entries = list.files
      .filter((f) => f.filename !== '.' && f.filename !== '..')
      .map((f) => ({ name: f.filename, type: f.type === 'DIRECTORY' ? 'directory' : f.type === 'SYMLINK' ? 'symlink' : 'file', size: f.size }) as const)
    const result: GuestFilePage = { entries, total: list.total }
    if (list.status === 'READY' && list.files.length > 0) result.nextIndex = page.index + list.files.length
    return result
  }
}

function guestCredentials(c: GuestCredentials): Record<string, unknown> {
  if (c.samlToken !== undefined) {
    // No user: the guest's alias mapping decides the account (reference §4).
    return { type: 'SAML_BEARER_TOKEN', interactive_session: false, saml_token: c.samlToken, ...(c.username ? { user_name: c.username } : {}) }
  }
  return { type: 'USERNAME_PASSWORD', interactive_session: false, user_name: c.username, password: c.password }
}
