import { describe, expect, it } from 'vitest'
import { PortholeError } from '../../../../contract/errors'
import type { Operation } from './client'
import { PartitionedListing, startParts, walkParts } from './listing'

// A tiny fake vCenter behind the listing's `call`: one datacenter, two folders, one cluster with
// two hosts, and one host crowded enough that only a per-power-state list fits under the cap.
interface FakeVm {
  vm: string
  name: string
  power_state: string
  folder: string
  host: string
}
const vms: FakeVm[] = []
for (let i = 0; i < 30; i++) {
  vms.push({
    vm: `vm-${i}`,
    name: `web-${i}`,
    power_state: ['POWERED_ON', 'POWERED_OFF', 'SUSPENDED'][i % 3] as string,
    folder: i < 24 ? 'group-v1' : 'group-v2',
    host: i < 20 ? 'host-1' : 'host-2',
  })
}

function fake(cap: number, calls: string[]) {
  return async (op: Operation): Promise<unknown> => {
    calls.push(op.api)
    const url = new URL(`https://x${op.api}`)
    const q = (k: string) => url.searchParams.get(k)
    switch (url.pathname) {
      case '/vcenter/datacenter':
        return [{ datacenter: 'datacenter-1', name: 'DC' }]
      case '/vcenter/folder':
        return [
          { folder: 'group-v1', name: 'Web', type: 'VIRTUAL_MACHINE' },
          { folder: 'group-v2', name: 'Apps', type: 'VIRTUAL_MACHINE' },
        ]
      case '/vcenter/cluster':
        return [{ cluster: 'domain-c1', name: 'C1' }]
      case '/vcenter/host':
        return q('standalone') === 'true' ? [] : [{ host: 'host-1', name: 'esx-1' }, { host: 'host-2', name: 'esx-2' }]
      case '/vcenter/vm': {
        const found = vms.filter(
          (v) =>
            (!q('folders') || v.folder === q('folders')) &&
            (!q('hosts') || v.host === q('hosts')) &&
            (!q('power_states') || v.power_state === q('power_states')),
        )
        if (found.length > cap) {
          throw new PortholeError('PROVIDER_ERROR', 'Too many virtual machines.', {
            detail: { vsphereType: 'UNABLE_TO_ALLOCATE_RESOURCE', messageId: 'com.vmware.api.vcenter.vm.too_many_matches' },
          })
        }
        return found.map(({ vm, name, power_state }) => ({ vm, name, power_state }))
      }
    }
    throw new Error(`unexpected ${op.api}`)
  }
}

async function collect(cap: number, calls: string[] = []) {
  const listing = new PartitionedListing(fake(cap, calls), new AbortController().signal)
  const pages = []
  for await (const page of walkParts(listing, 3)) pages.push(page)
  return pages
}

describe('partitioned VM listing', () => {
  it('lists everything in one call when the server allows it', async () => {
    const calls: string[] = []
    const pages = await collect(100, calls)
    expect(calls).toEqual(['/vcenter/vm'])
    expect(pages.flatMap((p) => p.vms)).toHaveLength(30)
  })

  it('splits by datacenter, folder, cluster, host and power state until each part fits; every VM once', async () => {
    const calls: string[] = []
    const pages = await collect(7, calls)
    const ids = pages.flatMap((p) => p.vms.map((v) => v.vm))
    expect(ids).toHaveLength(30)
    expect(new Set(ids).size).toBe(30)
    // host-1 in folder group-v1 holds 20 VMs: only per power state (7, 7, 6) do they fit.
    const powerParts = pages.filter((p) => p.part.level === 'power')
    expect(powerParts.map((p) => p.vms.length).sort()).toEqual([6, 7, 7])
    expect(powerParts.every((p) => p.part.host?.name === 'esx-1' && p.part.folder?.name === 'Web')).toBe(true)
    // The host part of folder group-v1 on host-2 fits (4 VMs) and says so.
    const hostPart = pages.find((p) => p.part.level === 'host' && p.part.host?.id === 'host-2' && p.part.folder?.id === 'group-v1')
    expect(hostPart?.vms).toHaveLength(4)
    expect(calls).toContain('/vcenter/vm?folders=group-v1&hosts=host-1&power_states=SUSPENDED')
  })

  it('by folder: starts from the folders of each datacenter even when one call would do', async () => {
    const calls: string[] = []
    const listing = new PartitionedListing(fake(100, calls), new AbortController().signal)
    const pages = []
    for await (const page of walkParts(listing, 2, await startParts(listing, true))) pages.push(page)
    expect(calls).not.toContain('/vcenter/vm')
    expect(pages.map((p) => [p.part.folder?.name, p.vms.length]).sort()).toEqual([['Apps', 6], ['Web', 24]])
  })

  it('gives up with a clear error when one host in one power state is still over the cap', async () => {
    await expect(collect(2)).rejects.toMatchObject({ code: 'PROVIDER_ERROR' })
  })

  it('keeps its calls going while the caller still holds a page, up to the concurrency', async () => {
    let inFlight = 0
    let most = 0
    let started = 0
    const calls: string[] = []
    const inner = fake(100, calls)
    const listing = new PartitionedListing(async (op) => {
      started++
      inFlight++
      most = Math.max(most, inFlight)
      await new Promise((resolve) => setTimeout(resolve, 5))
      inFlight--
      return inner(op)
    }, new AbortController().signal)
    const start = [1, 2, 3, 4, 5, 6].map((i) => ({ level: 'power' as const, filters: { folders: i % 2 ? 'group-v1' : 'group-v2' } }))
    const seenWhileHeld: number[] = []
    for await (const page of walkParts(listing, 3, start)) {
      void page.vms
      // The caller is slow with each page; the walk's calls must not wait for it.
      const before = started
      await new Promise((resolve) => setTimeout(resolve, 30))
      seenWhileHeld.push(started - before)
    }
    expect(calls).toHaveLength(6)
    expect(most).toBe(3)
    expect(seenWhileHeld[0]).toBeGreaterThan(0)
  })

  it('passes other errors through unchanged', async () => {
    const listing = new PartitionedListing(async () => {
      throw new PortholeError('AUTH_FAILED', 'no')
    }, new AbortController().signal)
    const run = async () => {
      for await (const _ of walkParts(listing, 2)) void _
    }
    await expect(run()).rejects.toMatchObject({ code: 'AUTH_FAILED' })
  })
})
