// Listing every VM of a vCenter whose list call refuses more than its cap (4,000 on 7.0+):
// when a list fails with too_many_matches, it is split and each part listed again — by
// datacenter, then VM folder, then cluster (and standalone host), then host, then power state
// (reference §2.1 and "Read this first" 8). The filter a part was listed with tells which
// folder/host its VMs are in. Parts are listed a few at a time; pages come out as they arrive.
import { PortholeError } from '../../../../contract/errors'
import type { Operation } from './client'
import { TOO_MANY_MATCHES_ID } from './errors'
import { ClusterSummary, DatacenterSummary, FolderSummary, HostSummary, read, readVmList, type VmSummary } from './wire'
import { z } from 'zod'

type Level = 'all' | 'datacenter' | 'folder' | 'cluster' | 'host' | 'power'

/** One part of the inventory: the filters it is listed with and what they say about its VMs. */
export interface Part {
  level: Level
  filters: Record<string, string>
  datacenter?: { id: string; name: string }
  folder?: { id: string; name: string }
  cluster?: { id: string; name: string }
  host?: { id: string; name: string }
}

export interface PartPage {
  part: Part
  /** Parsed when first read (a thrown PROVIDER_ERROR for a body that is not a VM list). */
  readonly vms: VmSummary[]
}

export type Call = (op: Operation, signal: AbortSignal) => Promise<unknown>
/** A call that resolves once the answer is in and leaves parsing it to the returned function. */
export type DeferredCall = (op: Operation, signal: AbortSignal) => Promise<() => unknown>

const POWER_STATES = ['POWERED_ON', 'POWERED_OFF', 'SUSPENDED']

/** `?a=x&b=y` for /api, `?filter.a=x&filter.b=y` for /rest. */
function listOp(kind: string, filters: Record<string, string>): Operation {
  const q = (prefix: string): string => {
    const s = new URLSearchParams(Object.entries(filters).map(([k, v]): [string, string] => [`${prefix}${k}`, v])).toString()
    return s ? `?${s}` : ''
  }
  return { method: 'GET', api: `/vcenter/${kind}${q('')}`, rest: `/vcenter/${kind}${q('filter.')}` }
}

function tooMany(err: unknown): boolean {
  return (
    err instanceof PortholeError &&
    err.detail?.vsphereType === 'UNABLE_TO_ALLOCATE_RESOURCE' &&
    // The VM list says too_many_matches; other lists have their own ids, with the same type.
    (err.detail.messageId === undefined || String(err.detail.messageId).endsWith('too_many_matches'))
  )
}

export class PartitionedListing {
  private readonly names = new Map<string, Promise<{ id: string; name: string }[]>>()

  private readonly callDeferred: DeferredCall

  /** `callDeferred` lists VMs (the big answers) so that the walk moves on before parsing them; by default `call`'s. */
  constructor(
    private readonly call: Call,
    private readonly signal: AbortSignal,
    callDeferred?: DeferredCall,
  ) {
    this.callDeferred = callDeferred ?? ((op, s) => call(op, s).then((value) => () => value))
  }

  /** Lists an object kind once per run (datacenters of the vCenter, clusters of a datacenter, …). */
  private objects(kind: string, filters: Record<string, string>, idKey: string, schema: z.ZodType<{ name: string }>): Promise<{ id: string; name: string }[]> {
    const key = `${kind}?${JSON.stringify(filters)}`
    let found = this.names.get(key)
    if (!found) {
      found = this.call(listOp(kind, filters), this.signal).then((v) =>
        read(z.array(schema), v, `the ${kind} list`).map((o) => ({ id: String((o as Record<string, unknown>)[idKey]), name: o.name })),
      )
      this.names.set(key, found)
    }
    return found
  }

  /** The parts one level down, or undefined when this part cannot be split further. */
  async split(part: Part): Promise<Part[] | undefined> {
    const dc = part.datacenter
    switch (part.level) {
      case 'all': {
        const dcs = await this.objects('datacenter', {}, 'datacenter', DatacenterSummary)
        return dcs.map((d) => ({ level: 'datacenter', filters: { datacenters: d.id }, datacenter: d }))
      }
      case 'datacenter': {
        let folders: { id: string; name: string }[]
        try {
          folders = await this.objects('folder', { type: 'VIRTUAL_MACHINE', datacenters: dc?.id ?? '' }, 'folder', FolderSummary)
        } catch (err) {
          // More folders than that list's cap: go straight to clusters.
          if (!tooMany(err)) throw err
          return this.split({ ...part, level: 'folder' })
        }
        return folders.map((f) => ({ ...part, level: 'folder', filters: { folders: f.id }, folder: f }))
      }
      case 'folder': {
        const dcFilter = dc ? { datacenters: dc.id } : {}
        const clusters = await this.objects('cluster', dcFilter, 'cluster', ClusterSummary)
        const standalone = await this.objects('host', { ...dcFilter, standalone: 'true' }, 'host', HostSummary)
        const base = part.folder ? { folders: part.folder.id } : dc ? { datacenters: dc.id } : {}
        return [
          ...clusters.map((c): Part => ({ ...part, level: 'cluster', filters: { ...base, clusters: c.id }, cluster: c })),
          ...standalone.map((h): Part => ({ ...part, level: 'host', filters: { ...base, hosts: h.id }, host: h })),
        ]
      }
      case 'cluster': {
        const hosts = await this.objects('host', { clusters: part.cluster?.id ?? '' }, 'host', HostSummary)
        const { clusters: _c, ...base } = part.filters
        return hosts.map((h) => ({ ...part, level: 'host', filters: { ...base, hosts: h.id }, host: h }))
      }
      case 'host':
        return POWER_STATES.map((p) => ({ ...part, level: 'power', filters: { ...part.filters, power_states: p } }))
      case 'power':
        return undefined
    }
  }

  /** Lists one part: its VMs, or the parts to list instead when it has more than the cap. */
  async list(part: Part): Promise<{ page?: PartPage; more?: Part[] }> {
    try {
      const parse = await this.callDeferred(listOp('vm', part.filters), this.signal)
      let vms: VmSummary[] | undefined
      return {
        page: {
          part,
          get vms(): VmSummary[] {
            return (vms ??= readVmList(parse()))
          },
        },
      }
    } catch (err) {
      if (!tooMany(err)) throw err
      const more = await this.split(part)
      if (!more) {
        throw new PortholeError('PROVIDER_ERROR', `More VMs than vCenter's list cap even on one host in one power state (${JSON.stringify(part.filters)}).`, {
          detail: { messageId: TOO_MANY_MATCHES_ID },
        })
      }
      return { more }
    }
  }
}

/**
 * The parts a walk starts from: the whole inventory, or (byFolder) its VM folders per datacenter,
 * so every VM gets its folder even when one call could list them all.
 */
export async function startParts(listing: PartitionedListing, byFolder: boolean): Promise<Part[]> {
  const all: Part = { level: 'all', filters: {} }
  if (!byFolder) return [all]
  const dcs = (await listing.split(all)) ?? []
  return (await Promise.all(dcs.map(async (dc) => (await listing.split(dc)) ?? [dc]))).flat()
}

/**
 * Every part's page, listing up to `concurrency` parts at once; a failure ends the walk. A call
 * that ends starts the next one at once, whatever the caller is doing with the pages before
 * (vCenter is never left waiting for the caller), as long as fewer than `concurrency` pages
 * wait to be taken.
 */
export async function* walkParts(listing: PartitionedListing, concurrency: number, start?: Part[]): AsyncGenerator<PartPage> {
  const pending: Part[] = start ? [...start] : [{ level: 'all', filters: {} }]
  const ready: PartPage[] = []
  let running = 0
  let failure: { error: unknown } | undefined
  let wake: (() => void) | undefined
  // Set when the caller stops taking pages (a cancelled listing): calls under way start no more.
  let stopped = false
  const pump = (): void => {
    while (!failure && !stopped && running < concurrency && pending.length > 0 && ready.length < concurrency) {
      const part = pending.shift() as Part
      running++
      listing.list(part).then(
        (r) => {
          running--
          if (r.page) ready.push(r.page)
          if (r.more) pending.push(...r.more)
          pump()
          wake?.()
        },
        (error: unknown) => {
          running--
          failure ??= { error }
          wake?.()
        },
      )
    }
  }
  try {
    pump()
    while (ready.length > 0 || running > 0 || pending.length > 0) {
      if (failure) throw failure.error
      const page = ready.shift()
      if (page) {
        yield page
        // Taking a page may have made room for the next call.
        pump()
        continue
      }
      await new Promise<void>((resolve) => (wake = resolve))
      wake = undefined
    }
    if (failure) throw failure.error
  } finally {
    stopped = true
  }
}
