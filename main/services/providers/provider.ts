// The one shape every provider (vSphere, OpenStack, ZStack, VNC) has for the services above it
// (DESIGN.md, "Providers"). Everything here stays in main: tickets and sessions never reach
// the renderer.
import type { ProviderKind, Vm, VmRow } from '../../../contract/inventory'

/** A batch of VMs as it arrives; the inventory merges pages incrementally. */
export interface VmPage {
  vms: Vm[]
  /**
   * The same VMs as the inventory's rows (`rowOf` in inventory/rows.ts), for a provider that can
   * make them without the Vm objects and whose list gives no details (details state 0): a
   * listing of 50,000 VMs then allocates one array a VM instead of three objects, and `vms` is
   * made only if someone reads it.
   */
  rows?: VmRow[]
}

/** Hard actions ('on', 'off', 'reset', 'suspend') and the soft ones that need guest tools. */
export type PowerAction = 'on' | 'off' | 'reset' | 'suspend' | 'shutdown' | 'reboot' | 'standby'

/**
 * What kind of console is asked for: 'rfb' is embedded (noVNC through the relay), 'serial'
 * is embedded (xterm through the relay), 'external' is handed to a native viewer (VMRC).
 */
export type ConsoleKind = 'rfb' | 'serial' | 'external'

/** A fresh, usually single-use, console ticket; it never leaves main. */
export interface ConsoleTicket {
  kind: ConsoleKind
  /** wss:// or ws:// for the relay, tcp://host:port for plain VNC, vmrc:// for external viewers. */
  url: string
  /** WebSocket subprotocols the upstream requires (WebMKS: ['binary']). */
  subprotocols?: string[]
  /** VNC password, when the upstream asks for one. */
  password?: string
  /** When the ticket stops working if unused (ms since epoch), when the provider says. */
  expiresAt?: number
}

/** Extra facts about one VM that the list call does not give; filled lazily for rows on screen. */
export interface VmDetails {
  guestOs?: string
  ip?: string
  hostName?: string
}

/** Guest operating system credentials (asked per VM; may be remembered in the vault). */
export interface GuestCredentials {
  /** The guest account; for a SAML token optional ('' lets the guest map it). */
  username: string
  password: string
  /** A SAML bearer token from vCenter SSO, used instead of the password when set. */
  samlToken?: string
}

/** What "run a program" asks the guest (reference §5 CreateSpec). */
export interface GuestProgramSpec {
  path: string
  arguments?: string
  workingDirectory?: string
  /** Replaces the guest's default environment when given. */
  environment?: Record<string, string>
}

export interface GuestProcess {
  pid: number
  name: string
  owner: string
  command: string
  /** ISO-8601. */
  started: string
  finished?: string
  exitCode?: number
}

export interface GuestFileEntry {
  name: string
  type: 'file' | 'directory' | 'symlink'
  size: number
}

export interface GuestFilePage {
  entries: GuestFileEntry[]
  /** Total matches as the guest reported it (a hint; it can change). */
  total: number
  /** Offset to ask for next, or undefined at the end. */
  nextIndex?: number
}

/** Operations inside a guest (vSphere today); the guest feature grows this. */
export interface GuestOps {
  /** Every process in the guest. */
  listProcesses(vmId: string, credentials: GuestCredentials, signal: AbortSignal): Promise<GuestProcess[]>
  /** One process, with `finished`/`exitCode` for one started by createProcess that ended (5 minutes). */
  getProcess(vmId: string, credentials: GuestCredentials, pid: number, signal: AbortSignal): Promise<GuestProcess>
  /** Starts a program; resolves with its pid. */
  createProcess(vmId: string, credentials: GuestCredentials, spec: GuestProgramSpec, signal: AbortSignal): Promise<number>
  /** Terminates a process. */
  killProcess(vmId: string, credentials: GuestCredentials, pid: number, signal: AbortSignal): Promise<void>
  /** One page of a guest directory. */
  listFiles(
    vmId: string,
    credentials: GuestCredentials,
    path: string,
    page: { index: number; size: number },
    signal: AbortSignal,
  ): Promise<GuestFilePage>
}

/** One saved connection's live view of its provider. Errors are PortholeErrors with contract codes. */
export interface Provider {
  readonly kind: ProviderKind
  readonly connectionId: string
  /** Opens a session (or checks the credentials); later calls re-login silently once when it expires. */
  login(signal: AbortSignal): Promise<void>
  /** Closes the session on the server; harmless when there is none. */
  logout(signal: AbortSignal): Promise<void>
  /** Every VM, in pages as they arrive; each VM appears exactly once. */
  listVms(signal: AbortSignal): AsyncIterable<VmPage>
  /** Fields the list did not give (guest OS, IP, host name) for one VM. */
  vmDetails?(vmId: string, signal: AbortSignal): Promise<VmDetails>
  power(vmId: string, action: PowerAction, signal: AbortSignal): Promise<void>
  consoleTicket(vmId: string, kind: ConsoleKind, signal: AbortSignal): Promise<ConsoleTicket>
  guest?: GuestOps
}
