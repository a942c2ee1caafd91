// The parts of Keystone and Nova answers the provider reads (reference openstack.md §1–§5),
// parsed leniently: unknown fields pass, fields a partial record (2.69, a cell down) or an
// older microversion lacks are optional, a wrong shape is a PROVIDER_ERROR.
import { z } from 'zod'
import { PortholeError } from '../../../../contract/errors'

const Named = z.looseObject({ id: z.string(), name: z.string().optional() })

export const CatalogEndpoint = z.looseObject({
  interface: z.string(),
  region: z.string().nullish(),
  region_id: z.string().nullish(),
  url: z.string(),
})
export type CatalogEndpoint = z.infer<typeof CatalogEndpoint>

export const CatalogEntry = z.looseObject({
  type: z.string(),
  name: z.string().optional(),
  endpoints: z.array(CatalogEndpoint),
})
export type CatalogEntry = z.infer<typeof CatalogEntry>

export const TokenBody = z.looseObject({
  token: z.looseObject({
    expires_at: z.string(),
    methods: z.array(z.string()).optional(),
    project: Named.optional(),
    user: Named.optional(),
    catalog: z.array(CatalogEntry).optional(),
  }),
})

export const VersionEntry = z.looseObject({
  id: z.string(),
  status: z.string().optional(),
  version: z.string().optional(),
  min_version: z.string().optional(),
  links: z.array(z.looseObject({ rel: z.string(), href: z.string() })).optional(),
})
export type VersionEntry = z.infer<typeof VersionEntry>
export const VersionDoc = z.looseObject({ version: VersionEntry })
export const VersionsDoc = z.looseObject({ versions: z.array(VersionEntry) })

const Address = z.object({
  addr: z.string(),
  version: z.number().optional(),
  'OS-EXT-IPS:type': z.string().optional(),
})

// Servers come 1,000 a page with ~40 fields each, most of which the provider never reads:
// z.object accepts unknown fields but does not copy them (looseObject's copying was a large part
// of a 50,000-server listing's time in main).
export const Server = z.object({
  id: z.string(),
  name: z.string().optional(),
  status: z.string().optional(),
  tenant_id: z.string().optional(),
  addresses: z.record(z.string(), z.array(Address)).optional(),
  // 2.47+ embeds the flavor without an id; before, `{id, links}`.
  flavor: z.object({ id: z.string().optional(), original_name: z.string().optional() }).optional(),
  // '' for a server booted from a volume.
  image: z.union([z.literal(''), z.object({ id: z.string().optional() })]).nullish(),
  'OS-EXT-STS:task_state': z.string().nullish(),
  'OS-EXT-STS:vm_state': z.string().nullish(),
  'OS-EXT-STS:power_state': z.number().nullish(),
  'OS-EXT-AZ:availability_zone': z.string().nullish(),
  'OS-EXT-SRV-ATTR:host': z.string().nullish(),
  'OS-EXT-SRV-ATTR:hypervisor_hostname': z.string().nullish(),
  'OS-EXT-SRV-ATTR:hostname': z.string().nullish(),
  locked: z.boolean().optional(),
  fault: z.object({ message: z.string().optional() }).optional(),
})
export type Server = z.infer<typeof Server>

export const ServersPage = z.object({
  servers: z.array(Server),
  servers_links: z.array(z.object({ rel: z.string(), href: z.string() })).optional(),
})

export const ServerOne = z.looseObject({ server: Server })

export const RemoteConsoleBody = z.looseObject({
  remote_console: z.looseObject({ protocol: z.string(), type: z.string(), url: z.string() }),
})
export const LegacyConsoleBody = z.looseObject({ console: z.looseObject({ type: z.string(), url: z.string() }) })

/** Parses an answer or says which call gave an unexpected shape. */
export function read<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value)
  if (!r.success) {
    throw new PortholeError('PROVIDER_ERROR', `OpenStack's answer to ${what} has an unexpected shape.`, {
      detail: { issues: r.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) },
    })
  }
  return r.data
}
