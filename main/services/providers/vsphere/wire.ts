// The parts of vSphere answers the provider reads (reference §2–§6), parsed leniently: unknown
// fields pass, missing optional ones are fine, a wrong shape is a PROVIDER_ERROR.
import { z } from 'zod'
import { PortholeError } from '../../../../contract/errors'

export const VmSummary = z.looseObject({
  vm: z.string(),
  name: z.string(),
  power_state: z.string(),
  cpu_count: z.number().optional(),
  memory_size_MiB: z.number().optional(),
})
export type VmSummary = z.infer<typeof VmSummary>

/**
 * VmSummary's rules checked by hand: a listing of 50,000 VMs parsed with zod copies every
 * summary (tens of milliseconds and a GC pause, while the next pages wait). A list that fails
 * this is parsed with the schema, for its message.
 */
export function isVmSummary(v: unknown): v is VmSummary {
  if (v === null || typeof v !== 'object') return false
  const s = v as Record<string, unknown>
  return (
    typeof s.vm === 'string' &&
    typeof s.name === 'string' &&
    typeof s.power_state === 'string' &&
    (s.cpu_count === undefined || typeof s.cpu_count === 'number') &&
    (s.memory_size_MiB === undefined || typeof s.memory_size_MiB === 'number')
  )
}

/** A VM list answer: as is when every entry is a VmSummary, else the schema's PROVIDER_ERROR. */
export function readVmList(value: unknown): VmSummary[] {
  if (Array.isArray(value) && value.every(isVmSummary)) return value
  return read(z.array(VmSummary), value, 'the VM list')
}

export const DatacenterSummary = z.looseObject({ datacenter: z.string(), name: z.string() })
export const FolderSummary = z.looseObject({ folder: z.string(), name: z.string(), type: z.string() })
export const ClusterSummary = z.looseObject({ cluster: z.string(), name: z.string() })
export const HostSummary = z.looseObject({ host: z.string(), name: z.string() })

export const PowerInfo = z.looseObject({ state: z.string() })
export const VmInfo = z.looseObject({ name: z.string(), guest_OS: z.string(), power_state: z.string() })
export const GuestIdentity = z.looseObject({
  name: z.string(),
  family: z.string(),
  full_name: z.looseObject({ default_message: z.string() }),
  host_name: z.string(),
  ip_address: z.string().optional(),
})
export const TicketSummary = z.looseObject({ ticket: z.string() })

export const ProcessSummary = z.looseObject({
  pid: z.number(),
  name: z.string(),
  owner: z.string(),
  command: z.string(),
  started: z.string(),
})
/**
 * ProcessSummary's rules checked by hand: a guest's list has thousands of entries, and zod's
 * parse copies each one (milliseconds and a GC pause per refresh). A list that fails this is
 * parsed with the schema, for its message.
 */
export function isProcessSummary(v: unknown): v is z.infer<typeof ProcessSummary> {
  if (v === null || typeof v !== 'object') return false
  const p = v as Record<string, unknown>
  return typeof p.pid === 'number' && typeof p.name === 'string' && typeof p.owner === 'string' && typeof p.command === 'string' && typeof p.started === 'string'
}

/** Process get (reference §5): no pid; `finished`/`exit_code` only for created processes that ended. */
export const ProcessInfo = z.looseObject({
  name: z.string(),
  owner: z.string(),
  command: z.string(),
  started: z.string(),
  finished: z.string().optional(),
  exit_code: z.number().optional(),
})
export const FilesList = z.looseObject({
  files: z.array(z.looseObject({ filename: z.string(), type: z.enum(['FILE', 'DIRECTORY', 'SYMLINK']), size: z.number() })),
  total: z.number(),
  start_index: z.number().optional(),
  end_index: z.number().optional(),
  status: z.enum(['READY', 'END_OF_DATA']),
})

/** Parses an answer or says which call gave an unexpected shape. */
export function read<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value)
  if (!r.success) {
    throw new PortholeError('PROVIDER_ERROR', `vCenter's answer to ${what} has an unexpected shape.`, {
      detail: { issues: r.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) },
    })
  }
  return r.data
}
