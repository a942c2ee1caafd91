// The vCenter lab's fault knobs. Set at start (factory options, or the PORTHOLE_VSPHERE_FAULTS
// JSON variable for `npm run lab`) and at runtime with `POST /lab/faults`.
import { z } from 'zod'

export const Faults = z.strictObject({
  /** Delay before every vSphere answer. */
  latencyMs: z.number().int().min(0).max(600_000),
  /** Fraction of vSphere calls (not /lab) answered 503 SERVICE_UNAVAILABLE; drawn from the seed. */
  errorRate: z.number().min(0).max(1),
  /** Idle seconds after which a session token stops working; 0 = never. */
  sessionExpirySeconds: z.number().int().min(0),
  /** Fraction of powered-on VMs whose VMware Tools are not running (per-VM overrides win). */
  toolsNotRunningFraction: z.number().min(0).max(1),
  /** Fractions of VMs powered off / suspended; changing them at runtime re-derives every VM's state. */
  poweredOffFraction: z.number().min(0).max(1),
  suspendedFraction: z.number().min(0).max(1),
  /** Serve only /rest, as vCenter 7.0 GA/U1 did for the VM API: every /api path answers 404. */
  restOnly: z.boolean(),
  /** Most VMs one list call may match before it fails with too_many_matches. */
  listCap: z.number().int().min(1),
  /** How long a guest shutdown/reboot/standby takes to land. */
  guestPowerDelayMs: z.number().int().min(0).max(600_000),
  /** Every this many ms a short-lived process starts in each running guest (1.5–12 s of life); 0 = steady tables. */
  processChurnMs: z.number().int().min(0).max(3_600_000),
  /** How long a guest file transfer URL stays valid (vSphere: 10 minutes). */
  transferTtlSeconds: z.number().min(0.01).max(86_400),
  /** Rate of each guest file transfer from the ESXi listener; 0 = as fast as it goes. */
  transferBytesPerSecond: z.number().int().min(0),
  /** Cut every transfer's connection after this many body bytes; 0 = never. */
  transferCutAfterBytes: z.number().int().min(0),
  /** Host part of transfer URLs: '*' (the host that was called, as documented) or the ESXi listener's address. */
  transferHost: z.enum(['*', 'address']),
  /** Every console ticket gets this id (32 hex digits; a known canary for leak tests); null = random. */
  consoleTicketId: z.string().regex(/^[0-9a-f]{32}$/).nullable(),
})
export type Faults = z.infer<typeof Faults>

export const DEFAULT_FAULTS: Faults = {
  latencyMs: 0,
  errorRate: 0,
  sessionExpirySeconds: 1800,
  toolsNotRunningFraction: 0.1,
  poweredOffFraction: 0.2,
  suspendedFraction: 0.03,
  restOnly: false,
  listCap: 4000,
  guestPowerDelayMs: 300,
  processChurnMs: 2000,
  transferTtlSeconds: 600,
  transferBytesPerSecond: 0,
  transferCutAfterBytes: 0,
  transferHost: '*',
  consoleTicketId: null,
}

/** A runtime change: any knob, plus one-off actions. */
export const FaultsPatch = Faults.partial().extend({
  /** Generate a new certificate and serve it from now on (new connections). */
  rotateCertificate: z.literal(true).optional(),
  /** Drop every session now, as if they had all idled out. */
  expireSessions: z.literal(true).optional(),
  /** The WebMKS "ESXi host" gets a new certificate for new connections (one a client pinned no longer matches). */
  rotateWebmksCertificate: z.literal(true).optional(),
})
export type FaultsPatch = z.infer<typeof FaultsPatch>

/** Per-VM knobs for `POST /lab/vms/{vm}`. */
export const VmPatch = z.strictObject({
  tools: z.enum(['running', 'not_running', 'unsupported']).nullable().optional(),
  power: z.enum(['POWERED_ON', 'POWERED_OFF', 'SUSPENDED']).optional(),
  busy: z.boolean().optional(),
  inaccessible: z.boolean().optional(),
  /** Steady processes in the guest's table (filler pads it; up to 20,000); null = the guest's own. */
  processes: z.number().int().min(1).max(20_000).nullable().optional(),
})
export type VmPatch = z.infer<typeof VmPatch>

/** `POST /lab/vms`: a new VM placed like an existing one (default the first), powered on unless told. */
export const NewVm = z.strictObject({
  name: z.string().min(1).max(80),
  like: z.string().optional(),
  power: z.enum(['POWERED_ON', 'POWERED_OFF', 'SUSPENDED']).optional(),
})
export type NewVm = z.infer<typeof NewVm>
