import { z } from 'zod'

/** Which kind of connection a VM came from. */
export const ProviderKind = z.enum(['vsphere', 'openstack', 'zstack', 'vnc'])
export type ProviderKind = z.infer<typeof ProviderKind>

/** Power as the UI shows it; each provider's own state stays in `Vm.raw`. */
export const PowerState = z.enum(['on', 'off', 'suspended', 'unknown'])
export type PowerState = z.infer<typeof PowerState>

/** Names one VM: the saved connection it belongs to and the provider's own opaque id ('vm-42', a Nova UUID, …). */
export const VmRef = z.strictObject({
  connectionId: z.string().min(1).max(200),
  id: z.string().min(1).max(500),
})
export type VmRef = z.infer<typeof VmRef>

/**
 * One VM, normalized across providers. Fields a provider's list call does not give
 * (vCenter: guest OS, IP) are absent until they are filled in lazily.
 */
export const Vm = z.strictObject({
  ref: VmRef,
  name: z.string(),
  power: PowerState,
  guestOs: z.string().optional(),
  ip: z.string().optional(),
  host: z.string().optional(),
  /** Folder, project or zone the VM is listed under. */
  group: z.string().optional(),
  provider: ProviderKind,
  /** The provider's own status fields as display strings (e.g. power_state: POWERED_ON); never secrets. */
  raw: z.record(z.string(), z.string()),
})
export type Vm = z.infer<typeof Vm>
