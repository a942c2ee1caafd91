// The parts of ZStack answers the provider reads (reference §1, §3, §4, §6), parsed leniently:
// unknown fields pass, absent (null) fields are fine, a wrong shape is a PROVIDER_ERROR.
import { z } from 'zod'
import { PortholeError } from '../../../../contract/errors'

export const SessionInventory = z.looseObject({ uuid: z.string().min(1) })
export const LoginReply = z.looseObject({ inventory: SessionInventory })
export const ValidReply = z.looseObject({ valid: z.boolean() })
/** 202 of an async API: the job's URL on the management node's own address. */
export const Accepted = z.looseObject({ location: z.string().min(1), apiTimeout: z.number().optional() })

/** Doc generators print ints as 4900.0; the live server prints 4900: both parse. */
const Count = z.number()

// VMs are read 1,000 a page: z.object accepts the fields the provider does not read without
// copying them (looseObject would, for every VM and NIC of a 50,000-VM listing).
export const VmNic = z.object({
  ip: z.string().optional(),
  l3NetworkUuid: z.string().optional(),
  deviceId: Count.optional(),
})
export const VmInventory = z.object({
  uuid: z.string().min(1),
  name: z.string(),
  state: z.string().optional(),
  type: z.string().optional(),
  zoneUuid: z.string().optional(),
  clusterUuid: z.string().optional(),
  hostUuid: z.string().optional(),
  platform: z.string().optional(),
  guestOsType: z.string().optional(),
  architecture: z.string().optional(),
  hypervisorType: z.string().optional(),
  cpuNum: Count.optional(),
  memorySize: Count.optional(),
  defaultL3NetworkUuid: z.string().optional(),
  vmNics: z.array(VmNic).optional(),
})
export type VmInventory = z.infer<typeof VmInventory>

export const Named = z.looseObject({ uuid: z.string().min(1), name: z.string(), managementIp: z.string().optional() })
export type Named = z.infer<typeof Named>

export const QueryReply = z.looseObject({ inventories: z.array(z.unknown()), total: Count.optional() })
export const VmReply = z.looseObject({ inventory: VmInventory })

export const ConsoleInventory = z.looseObject({
  scheme: z.string().optional(),
  hostname: z.string().min(1),
  port: Count,
  token: z.string().min(1),
  targetScheme: z.string().optional(),
  expiredDate: z.string().optional(),
})
export const ConsoleReply = z.looseObject({ inventory: ConsoleInventory })

/** Parses an answer or says which call gave an unexpected shape. */
export function read<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value)
  if (!r.success) {
    throw new PortholeError('PROVIDER_ERROR', `ZStack's answer to ${what} has an unexpected shape.`, {
      detail: { issues: r.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) },
    })
  }
  return r.data
}
