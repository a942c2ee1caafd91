// The ZStack lab's fault knobs. Set at start (factory options, or the PORTHOLE_ZSTACK_FAULTS JSON
// variable for `npm run lab`) and at runtime with `POST /lab/faults`.
import { z } from 'zod'

/** What a VM action job does: finish normally, fail (VM.1001/1002/1003), or stay running forever. */
export const JobOutcome = z.enum(['succeed', 'fail', 'hang'])
export type JobOutcome = z.infer<typeof JobOutcome>

export const Faults = z.strictObject({
  /** Delay before every ZStack answer (job polls included; not /lab). */
  latencyMs: z.number().int().min(0).max(600_000),
  /** Fraction of API calls (not job polls) that fail with SYS.1012; drawn from the seed. */
  errorRate: z.number().min(0).max(1),
  /** identity/session.timeout: idle seconds before a session dies (sliding); 0 = never. */
  sessionTimeoutSeconds: z.number().int().min(0),
  /** identity/session.maxConcurrent: live sessions an account may hold; one more login fails with ID.1006. */
  maxSessions: z.number().int().min(1),
  /** Fraction of user VMs that are Stopped; changing it at runtime re-derives settled VMs' states. */
  poweredOffFraction: z.number().min(0).max(1),
  /** Fraction of user VMs that are Paused. */
  pausedFraction: z.number().min(0).max(1),
  /** How long start/stop/reboot/pause/resume jobs run (the VM shows its transitional state meanwhile). */
  actionMs: z.number().int().min(0).max(600_000),
  /** How long RequestConsoleAccess and renew jobs run. */
  quickJobMs: z.number().int().min(0).max(600_000),
  /** Every VM action job's outcome (a per-VM override from `POST /lab/vms/{uuid}` wins). */
  jobOutcome: JobOutcome,
  /** console/proxy.idleTimeout: the console proxy exits after this many seconds without connections. */
  consoleIdleSeconds: z.number().min(0.05).max(86_400),
  /** console/vnc.token.timeout: how long a console token works. */
  consoleTokenSeconds: z.number().int().min(1),
  /** `hostname` in console inventories (consoleProxyOverriddenIp); default the loopback address. */
  consoleHostname: z.string().min(1).max(253),
})
export type Faults = z.infer<typeof Faults>

export const DEFAULT_FAULTS: Faults = {
  latencyMs: 0,
  errorRate: 0,
  sessionTimeoutSeconds: 7200,
  maxSessions: 500,
  poweredOffFraction: 0.25,
  pausedFraction: 0.02,
  actionMs: 300,
  quickJobMs: 20,
  jobOutcome: 'succeed',
  consoleIdleSeconds: 60,
  consoleTokenSeconds: 1800,
  consoleHostname: '127.0.0.1',
}

/** A runtime change: any knob, plus one-off actions. */
export const FaultsPatch = Faults.partial().extend({
  /** Drop every session now, as if they had all timed out. */
  expireSessions: z.literal(true).optional(),
})
export type FaultsPatch = z.infer<typeof FaultsPatch>

/** Per-VM knobs for `POST /lab/vms/{uuid}`. */
export const VmPatch = z.strictObject({
  /** Force a state (e.g. to recover a VM whose job was told to hang). */
  state: z.enum(['Running', 'Stopped', 'Paused', 'Unknown', 'Crashed']).optional(),
  /** This VM's action jobs; null returns to the global knob. */
  jobs: JobOutcome.nullable().optional(),
})
export type VmPatch = z.infer<typeof VmPatch>
