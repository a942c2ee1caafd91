// The ZStack provider (DESIGN.md "Providers"; reference/zstack.md): login, the VM inventory over
// paged queries (user VMs only, recycle bin left out), power actions as polled jobs, and console
// access through ZStack's websockify proxy. Sessions and console tokens stay in main.
import type { Dispatcher } from 'undici'
import { PortholeError } from '../../../../contract/errors'
import type { PowerState, Vm } from '../../../../contract/inventory'
import type { ConsoleKind, ConsoleTicket, PowerAction, Provider, VmDetails, VmPage } from '../provider'
import type { VmStatus } from '../registry'
import { ZstackClient } from './client'
import { queryPages } from './listing'
import { ConsoleReply, Named, QueryReply, read, VmInventory, VmReply } from './wire'

export interface ZstackProviderOptions {
  connectionId: string
  /** http(s)://management-node[:port][/context]; plain http is ZStack's default (port 8080). */
  baseUrl: string
  accountName: string
  password: string
  dispatcher: Dispatcher
  /** Per request; default 30 s. */
  timeoutMs?: number
  /** How long a power action's job may run; default 10 minutes (a grace stop can take long). */
  actionTimeoutMs?: number
  /** How long RequestConsoleAccess may take; default 60 s. */
  consoleTimeoutMs?: number
  /** Rows per query page; default 1000. */
  pageSize?: number
  /** Replaces the console proxy's `hostname` when the one ZStack gives is unreachable from here. */
  consoleHost?: string
  /** Speak wss:// to the console proxy (only when ZStack's proxy has a certificate configured). */
  consoleTls?: boolean
  pollInitialMs?: number
  pollMaxMs?: number
}

/** ZStack's VM states that mean a settled power state; every other one (transitional, Unknown…) is 'unknown'. */
const POWER: Partial<Record<string, PowerState>> = {
  Running: 'on',
  Stopped: 'off',
  Created: 'off',
  Paused: 'suspended',
  Suspended: 'suspended',
}

/** Only user VMs, and not those in the recycle bin or on their way out of it. */
export const VM_CONDITIONS = ['type=UserVm', 'state!?=Destroyed,Expunging']
const VM_FIELDS = [
  'uuid', 'name', 'state', 'type', 'zoneUuid', 'clusterUuid', 'hostUuid', 'platform', 'guestOsType', 'architecture',
  'hypervisorType', 'cpuNum', 'memorySize', 'defaultL3NetworkUuid', 'vmNics',
]

const ACTIONS: Partial<Record<PowerAction, { key: string; body: Record<string, unknown>; what: string }>> = {
  on: { key: 'startVmInstance', body: {}, what: 'start of the VM' },
  off: { key: 'stopVmInstance', body: { type: 'cold' }, what: 'power-off of the VM' },
  shutdown: { key: 'stopVmInstance', body: { type: 'grace' }, what: 'shutdown of the VM' },
  reboot: { key: 'rebootVmInstance', body: {}, what: 'reboot of the VM' },
  // ZStack has no hard reset: its reboot is the nearest.
  reset: { key: 'rebootVmInstance', body: {}, what: 'reboot of the VM' },
  suspend: { key: 'pauseVmInstance', body: {}, what: 'pause of the VM' },
}

/** Maps ZStack's VM state onto the UI's power. */
export function powerOf(state: string | undefined): PowerState {
  return (state !== undefined ? POWER[state] : undefined) ?? 'unknown'
}

const vmPath = (id: string): string => `/vm-instances/${encodeURIComponent(id)}`

function ipOf(vm: VmInventory): string | undefined {
  const nics = vm.vmNics ?? []
  const preferred = nics.find((n) => n.ip && n.l3NetworkUuid === vm.defaultL3NetworkUuid) ?? nics.find((n) => n.ip)
  return preferred?.ip
}

export class ZstackProvider implements Provider {
  readonly kind = 'zstack' as const
  readonly connectionId: string
  readonly client: ZstackClient

  constructor(private readonly options: ZstackProviderOptions) {
    this.connectionId = options.connectionId
    this.client = new ZstackClient({
      baseUrl: options.baseUrl,
      accountName: options.accountName,
      password: options.password,
      dispatcher: options.dispatcher,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.pollInitialMs !== undefined ? { pollInitialMs: options.pollInitialMs } : {}),
      ...(options.pollMaxMs !== undefined ? { pollMaxMs: options.pollMaxMs } : {}),
    })
  }

  /** Logs in by account (SHA-512 of the password). */
  login(signal: AbortSignal): Promise<void> {
    return this.client.login(signal)
  }

  /** Ends the session on the management node (its console tokens go with it). */
  logout(signal: AbortSignal): Promise<void> {
    return this.client.logout(signal)
  }

  /** Extends the session explicitly (ZStack also extends it on every call); re-logs in when it is gone. */
  renewSession(signal: AbortSignal, durationSeconds?: number): Promise<void> {
    return this.client.renewSession(signal, durationSeconds)
  }

  /** uuid → name (and management IP) of every zone, cluster or host. */
  private async names(path: string, fields: string[], signal: AbortSignal): Promise<Map<string, Named>> {
    const out = new Map<string, Named>()
    const get = (p: string, q: URLSearchParams, s: AbortSignal): Promise<unknown> => this.client.get(p, q, s)
    for await (const rows of queryPages(get, path, { fields, ...this.page() }, signal)) {
      for (const row of rows) {
        const named = Named.safeParse(row)
        if (named.success) out.set(named.data.uuid, named.data)
      }
    }
    return out
  }

  private page(): { pageSize?: number } {
    return this.options.pageSize !== undefined ? { pageSize: this.options.pageSize } : {}
  }

  /** Every user VM exactly once, in pages as they arrive; group is `zone / cluster`. */
  async *listVms(signal: AbortSignal): AsyncIterable<VmPage> {
    if (!this.client.loggedIn) await this.client.login(signal)
    // The names are needed only to normalize: the VM pages are asked for at the same time.
    const named = Promise.all([
      this.names('/zones', ['uuid', 'name'], signal),
      this.names('/clusters', ['uuid', 'name'], signal),
      this.names('/hosts', ['uuid', 'name', 'managementIp'], signal),
    ])
    // Awaited with the first page; a VM query failing first must not leave this "unhandled".
    named.catch(() => undefined)
    const seen = new Set<string>()
    const get = (p: string, q: URLSearchParams, s: AbortSignal): Promise<unknown> => this.client.get(p, q, s)
    for await (const rows of queryPages(get, '/vm-instances', { conditions: VM_CONDITIONS, fields: VM_FIELDS, ...this.page() }, signal)) {
      const [zones, clusters, hosts] = await named
      const vms: Vm[] = []
      for (const row of rows) {
        const vm = read(VmInventory, row, 'the VM query')
        // Offsets can shift while VMs come and go: a row seen on an earlier page is skipped.
        if (seen.has(vm.uuid)) continue
        seen.add(vm.uuid)
        vms.push(this.normalize(vm, zones, clusters, hosts))
      }
      if (vms.length > 0) yield { vms }
    }
  }

  private normalize(vm: VmInventory, zones: Map<string, Named>, clusters: Map<string, Named>, hosts: Map<string, Named>): Vm {
    const zone = vm.zoneUuid !== undefined ? zones.get(vm.zoneUuid)?.name : undefined
    const cluster = vm.clusterUuid !== undefined ? clusters.get(vm.clusterUuid)?.name : undefined
    const host = vm.hostUuid !== undefined ? hosts.get(vm.hostUuid) : undefined
    const raw: Record<string, string> = {}
    if (vm.state !== undefined) raw.state = vm.state
    if (vm.platform !== undefined) raw.platform = vm.platform
    if (vm.architecture !== undefined) raw.architecture = vm.architecture
    if (vm.hypervisorType !== undefined) raw.hypervisorType = vm.hypervisorType
    if (vm.cpuNum !== undefined) raw.cpuNum = String(vm.cpuNum)
    if (vm.memorySize !== undefined) raw.memory_MiB = String(Math.round(vm.memorySize / 1024 ** 2))
    if (zone !== undefined) raw.zone = zone
    if (cluster !== undefined) raw.cluster = cluster
    if (host?.managementIp !== undefined) raw.hostIp = host.managementIp
    const out: Vm = {
      ref: { connectionId: this.connectionId, id: vm.uuid },
      name: vm.name,
      power: powerOf(vm.state),
      provider: 'zstack',
      raw,
    }
    if (vm.state !== undefined) out.status = vm.state
    const guestOs = vm.guestOsType ?? vm.platform
    if (guestOs !== undefined) out.guestOs = guestOs
    const ip = ipOf(vm)
    if (ip !== undefined) out.ip = ip
    if (host) out.host = host.name
    const group = [zone, cluster].filter((g): g is string => g !== undefined).join(' / ')
    if (group) out.group = group
    return out
  }

  /** One VM's inventory; NOT_FOUND when ZStack answers with no row. */
  async getVm(vmId: string, signal: AbortSignal): Promise<VmInventory> {
    const reply = read(QueryReply, await this.client.get(vmPath(vmId), undefined, signal), 'the VM get')
    const row = reply.inventories[0]
    if (row === undefined) throw new PortholeError('NOT_FOUND', 'The VM no longer exists on ZStack.', { detail: { vm: vmId } })
    return read(VmInventory, row, 'the VM get')
  }

  /** Power as the inventory shows it, read from one VM. */
  async vmPower(vmId: string, signal: AbortSignal): Promise<PowerState> {
    return powerOf((await this.getVm(vmId, signal)).state)
  }

  /** Power and ZStack's state ('Stopped'), read from one VM (a power action has waited for its job). */
  async vmStatus(vmId: string, signal: AbortSignal): Promise<VmStatus> {
    const { state } = await this.getVm(vmId, signal)
    return state !== undefined ? { power: powerOf(state), status: state } : { power: 'unknown' }
  }

  /** Guest OS and IP of one VM (the list already has them; this refreshes one row). */
  async vmDetails(vmId: string, signal: AbortSignal): Promise<VmDetails> {
    const vm = await this.getVm(vmId, signal)
    const details: VmDetails = {}
    const guestOs = vm.guestOsType ?? vm.platform
    if (guestOs !== undefined) details.guestOs = guestOs
    const ip = ipOf(vm)
    if (ip !== undefined) details.ip = ip
    return details
  }

  /** Start, stop (cold = off, grace = shutdown), reboot/reset, pause (suspend); waits for the job. */
  async power(vmId: string, action: PowerAction, signal: AbortSignal): Promise<void> {
    const a = ACTIONS[action]
    if (!a) throw new PortholeError('UNSUPPORTED', `ZStack has no "${action}" action.`)
    try {
      await this.action(vmId, a.key, a.body, a.what, signal)
    } catch (err) {
      // "On" for a paused VM is a resume in ZStack (start refuses a Paused VM).
      if (action === 'on' && err instanceof PortholeError && err.code === 'VM_STATE' && (await this.getVm(vmId, signal)).state === 'Paused') {
        await this.action(vmId, 'resumeVmInstance', {}, 'resume of the VM', signal)
        return
      }
      throw err
    }
  }

  private async action(vmId: string, key: string, body: Record<string, unknown>, what: string, signal: AbortSignal): Promise<void> {
    const result = await this.client.job('PUT', () => `${vmPath(vmId)}/actions`, { [key]: body }, {
      signal,
      deadlineMs: this.options.actionTimeoutMs ?? 600_000,
      what,
    })
    read(VmReply, result, what)
  }

  /**
   * 'rfb': RequestConsoleAccess → `ws://hostname:port/websockify?token=…` (subprotocol binary).
   * The token holds the session id: it stays in main.
   */
  async consoleTicket(vmId: string, kind: ConsoleKind, signal: AbortSignal): Promise<ConsoleTicket> {
    if (kind !== 'rfb') throw new PortholeError('UNSUPPORTED', 'ZStack consoles are VNC only.')
    const result = await this.client.job('POST', () => '/consoles', { params: { vmInstanceUuid: vmId } }, {
      signal,
      deadlineMs: this.options.consoleTimeoutMs ?? 60_000,
      what: 'console request',
    })
    const c = read(ConsoleReply, result, 'the console request').inventory
    if (c.targetScheme !== undefined && c.targetScheme.toLowerCase() !== 'vnc') {
      throw new PortholeError('UNSUPPORTED', `This VM's console speaks ${c.targetScheme}, not VNC; open it in ZStack's own viewer.`)
    }
    const scheme = (c.scheme ?? 'http').toLowerCase()
    if (scheme !== 'http' && scheme !== 'https') {
      throw new PortholeError('UNSUPPORTED', `ZStack offered a "${scheme}" console that goes straight to the host; only its console proxy is supported.`)
    }
    const tls = this.options.consoleTls === true || scheme === 'https'
    const url = new URL(`${tls ? 'wss' : 'ws'}://127.0.0.1/websockify`)
    const host = this.options.consoleHost ?? c.hostname
    url.hostname = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
    url.port = String(c.port)
    url.searchParams.set('token', c.token)
    // expiredDate is the management node's local time without an offset: not a reliable instant here.
    return { kind: 'rfb', url: url.toString(), subprotocols: ['binary'] }
  }
}
