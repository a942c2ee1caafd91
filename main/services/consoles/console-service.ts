// The console feature in main (DESIGN.md "Consoles"): `console.open` asks the VM's provider for a
// fresh ticket, registers a one-time session with the relay and returns only the loopback URL and
// a handle. The ticket, the provider's URL and any VNC password stay here; the relay opens the
// upstream with the profile's TLS trust, and answers VNC Authentication itself.
import type { ClientOptions } from 'ws'
import type { ConsoleKind, ConsoleStatus, EmbeddedConsole } from '../../../contract/consoles'
import { PortholeError } from '../../../contract/errors'
import type { ProviderKind, VmRef } from '../../../contract/inventory'
import type { Handlers } from '../../../contract/serve'
import type { consoleCalls } from '../../../contract/consoles'
import type { Log } from '../log/log'
import type { StoredProfile } from '../profiles/profile-records'
import type { ConsoleTicket, Provider } from '../providers/provider'
import { createVncProvider } from '../providers/vnc/vnc-provider'
import type { TrustStore } from '../tls/trust-store'
import type { ConsoleRelay, RelaySessionInfo, RelayUpstream } from './relay'
import { validateVmrcUrl } from './vmrc-url'

/** What only the desktop app can do; the browser harness has none of it (UNSUPPORTED). */
export interface ConsoleDesktop {
  /** Hands a validated vmrc:// URL to the OS; rejects when no application is registered for it. */
  openVmrc(url: string): Promise<void>
  /** Opens a window that shows only this VM's console (it opens its own session with a new ticket). */
  openConsoleWindow(console: DetachedConsoleSpec): Promise<void>
}

/** What a detached console window shows: display values and the VM's ref, no secret. */
export interface DetachedConsoleSpec {
  ref: VmRef
  protocol: 'rfb' | 'serial'
  name: string
  provider: ProviderKind
}

export interface ConsoleServiceOptions {
  relay: ConsoleRelay
  /** The saved profile of a connection (NOT_FOUND when there is none). */
  profile(id: string): StoredProfile
  /** The connected provider of a VM (the inventory's); VNC profiles need none. */
  providerFor(ref: VmRef): Provider
  trust: Pick<TrustStore, 'wsOptionsFor'>
  log: Log
  desktop?: ConsoleDesktop
  onState(status: ConsoleStatus): void
}

export interface ConsoleService {
  /** Opens a console: embedded ones get a one-time relay URL; VMRC is launched outside Porthole. */
  open(ref: VmRef, kind: ConsoleKind, signal: AbortSignal): Promise<EmbeddedConsole | { protocol: 'vmrc'; launched: true }>
  /** Closes a session by its handle (harmless when it is gone). */
  close(handle: string): void
  /** A session's status. */
  status(handle: string): ConsoleStatus
  /** Opens the console in a window of its own (desktop app only). */
  detach(ref: VmRef, kind: 'rfb' | 'serial', title: string): Promise<void>
  /** Closes every console, e.g. when the vault locks. */
  closeAll(reason: string): void
  dispose(): Promise<void>
}

/** How VMRC is obtained, for the message when nothing handles vmrc:// links. */
const GET_VMRC =
  'No application on this computer opens vmrc:// links. Install VMware Remote Console (free from the Broadcom support portal, "VMware Remote Console"), or VMware Workstation or Fusion, then try again.'

export function toStatus(info: RelaySessionInfo): ConsoleStatus {
  return {
    handle: info.handle,
    state: info.state,
    bytesToRenderer: info.bytesToRenderer,
    bytesFromRenderer: info.bytesFromRenderer,
    ...(info.closeReason !== undefined ? { reason: info.closeReason.slice(0, 1000) } : {}),
    ...(info.closedBy !== undefined ? { closedBy: info.closedBy } : {}),
    ...(info.error !== undefined ? { error: info.error } : {}),
    ...(info.timings.length > 0 ? { timings: info.timings.slice(-20) } : {}),
    ...(info.diagnosis !== undefined ? { diagnosis: info.diagnosis } : {}),
  }
}

/** The relay upstream for a ticket: raw TCP for tcp://host:port, else the provider's websocket. */
export function upstreamOf(ticket: ConsoleTicket, wsOptionsFor: ((url: string) => ClientOptions) | undefined): RelayUpstream {
  let url: URL
  try {
    url = new URL(ticket.url)
  } catch {
    throw new PortholeError('PROVIDER_ERROR', 'The console ticket is not a URL.')
  }
  if (url.protocol === 'tcp:') {
    const port = Number(url.port)
    if (!url.hostname || !Number.isInteger(port) || port < 1) throw new PortholeError('PROVIDER_ERROR', 'The console address has no host or port.')
    return { kind: 'tcp', host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port }
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new PortholeError('PROVIDER_ERROR', `Unexpected console URL scheme ${url.protocol}`)
  return {
    kind: 'websocket',
    url: url.toString(),
    ...(ticket.subprotocols ? { protocols: ticket.subprotocols } : {}),
    // An Origin the console proxy recognises as its own (nova-novncproxy compares it with Host;
    // ESXi expects one from a browser).
    origin: `${url.protocol === 'wss:' ? 'https' : 'http'}://${url.host}`,
    ...(wsOptionsFor ? { wsOptionsFor } : {}),
  }
}

/** The parts of a ticket that open something: the URL, its path and query, the password. */
export function ticketSecrets(ticket: ConsoleTicket): string[] {
  const secrets = [ticket.url]
  try {
    const url = new URL(ticket.url)
    secrets.push(url.pathname + url.search, ...[...url.searchParams.values()], ...url.pathname.split('/'))
  } catch {
    // upstreamOf refuses it anyway
  }
  if (ticket.password !== undefined) secrets.push(ticket.password)
  // Short pieces ('ticket', 'websockify', '') are not secrets and would mangle the text.
  return secrets.filter((s) => s.length >= 12)
}

/** A status whose words cannot carry a ticket (an upstream error message might quote its URL). */
export function withoutSecrets(status: ConsoleStatus, secrets: string[]): ConsoleStatus {
  if (secrets.length === 0) return status
  const clean = (text: string): string => secrets.reduce((t, secret) => t.split(secret).join('…'), text)
  const out: ConsoleStatus = { ...status }
  if (out.reason !== undefined) out.reason = clean(out.reason)
  if (out.error) out.error = { ...out.error, message: clean(out.error.message) }
  if (out.diagnosis?.detail !== undefined) out.diagnosis = { ...out.diagnosis, detail: clean(out.diagnosis.detail) }
  return out
}

export function createConsoleService(options: ConsoleServiceOptions): ConsoleService {
  const { relay, log } = options
  let starting: Promise<void> | undefined
  const ensureStarted = (): Promise<void> => {
    starting ??= relay.start().catch((err: unknown) => {
      starting = undefined
      throw err
    })
    return starting
  }
  // What each session must never show in its status: the ticket's URL and its parts, the password.
  const secretsOf = new Map<string, string[]>()
  const stopState = relay.onState((info) => {
    const status = toStatus(info)
    options.onState(withoutSecrets(status, secretsOf.get(info.handle) ?? []))
  })

  const providerOf = (profile: StoredProfile, ref: VmRef): Provider => {
    // A VNC profile is its own one-VM inventory: no login, so no need for the inventory to be connected.
    if (profile.fields.kind === 'vnc') return createVncProvider({ id: profile.id, fields: profile.fields, secret: profile.secret })
    return options.providerFor(ref)
  }

  const openVmrc = async (profile: StoredProfile, provider: Provider, ref: VmRef, signal: AbortSignal): Promise<{ protocol: 'vmrc'; launched: true }> => {
    const desktop = options.desktop
    if (!desktop) throw new PortholeError('UNSUPPORTED', 'VMRC needs the desktop app: the browser cannot start VMware Remote Console.')
    if (profile.fields.kind !== 'vsphere') throw new PortholeError('UNSUPPORTED', 'VMware Remote Console opens vCenter VMs only.')
    const endpoint = new URL(profile.fields.endpoint)
    const ticket = await provider.consoleTicket(ref.id, 'external', signal)
    const url = validateVmrcUrl(ticket.url, {
      host: endpoint.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80)),
      vmId: ref.id,
    })
    try {
      await desktop.openVmrc(url)
    } catch (err) {
      log.warn('consoles: nothing opened the vmrc link', { error: err instanceof Error ? err.message : String(err) })
      throw new PortholeError('UNSUPPORTED', GET_VMRC, { detail: { reason: 'no-vmrc-handler' } })
    }
    log.info('consoles: VMRC launched', { connectionId: ref.connectionId, vm: ref.id })
    return { protocol: 'vmrc', launched: true }
  }

  return {
    async open(ref, kind, signal) {
      const profile = options.profile(ref.connectionId)
      const provider = providerOf(profile, ref)
      if (kind === 'vmrc') return openVmrc(profile, provider, ref, signal)
      await ensureStarted()
      const ticket = await provider.consoleTicket(ref.id, kind, signal)
      if (ticket.kind !== kind) throw new PortholeError('PROVIDER_ERROR', `Asked for a ${kind} console, got ${ticket.kind}.`)
      const fields = profile.fields
      const wsOptionsFor = 'trust' in fields ? (url: string) => options.trust.wsOptionsFor(profile.id, fields.trust, url) : undefined
      const registration = relay.register({
        upstream: upstreamOf(ticket, wsOptionsFor),
        protocol: kind,
        label: `${fields.name}/${ref.id}`,
        ...(ticket.password !== undefined ? { vncPassword: ticket.password } : {}),
      })
      secretsOf.set(registration.handle, ticketSecrets(ticket))
      // Kept while the relay may still report on the session (closed ones for minutes); bounded.
      if (secretsOf.size > 1000) secretsOf.delete(secretsOf.keys().next().value as string)
      log.info('consoles: session registered', { connectionId: ref.connectionId, vm: ref.id, kind, handle: registration.handle })
      return { protocol: kind, relayUrl: registration.url, handle: registration.handle }
    },
    close(handle) {
      relay.close(handle, 'the console tab closed')
    },
    status(handle) {
      const info = relay.session(handle)
      if (!info) throw new PortholeError('NOT_FOUND', 'There is no such console session (it ended a while ago).')
      return withoutSecrets(toStatus(info), secretsOf.get(handle) ?? [])
    },
    async detach(ref, kind, title) {
      const desktop = options.desktop
      if (!desktop) throw new PortholeError('UNSUPPORTED', 'Detaching a console into its own window needs the desktop app.')
      const profile = options.profile(ref.connectionId)
      await desktop.openConsoleWindow({ ref, protocol: kind, name: title, provider: profile.fields.kind })
    },
    closeAll(reason) {
      relay.closeAll(reason)
    },
    async dispose() {
      stopState()
      await relay.stop()
    },
  }
}

/** Binds the console service to the contract's console.* calls. */
export function consoleHandlers(service: ConsoleService): Handlers<typeof consoleCalls> {
  return {
    'console.open': ({ ref, kind }, ctx) => service.open(ref, kind, ctx.signal),
    'console.close': ({ handle }) => {
      service.close(handle)
      return { ok: true as const }
    },
    'console.status': ({ handle }) => service.status(handle),
    'console.detach': async ({ ref, kind, title }) => {
      await service.detach(ref, kind, title)
      return { ok: true as const }
    },
  }
}
