import { describe, expect, it } from 'vitest'
import { applyPowerFractions, seedInventory, toolsState } from './inventory'

describe('vCenter lab inventory', () => {
  it('is deterministic: the same seed gives the same VMs, another seed other ones', () => {
    const a = seedInventory(2000, 42)
    const b = seedInventory(2000, 42)
    const c = seedInventory(2000, 43)
    const view = (inv: typeof a) => inv.vms.map((v) => `${v.id}/${v.name}/${v.host}/${v.folder}/${v.os.id}`)
    expect(view(a)).toEqual(view(b))
    expect(view(a)).not.toEqual(view(c))
  })

  it('spreads 50,000 VMs over 3 datacenters, folders, clusters and hosts, with unique realistic names', () => {
    const t0 = performance.now()
    const inv = seedInventory(50_000, 1)
    // Reported, not asserted (shared CPU): seeding must stay far below the lab's one-second budget.
    console.log(JSON.stringify({ bench: 'vsphere.lab.seed_50k', ms: Math.round(performance.now() - t0) }))
    expect(inv.vms).toHaveLength(50_000)
    expect(inv.datacenters).toHaveLength(3)
    expect(inv.hosts.length).toBeLessThanOrEqual(2500) // under the host list cap
    expect(new Set(inv.vms.map((v) => v.name)).size).toBe(50_000)
    expect(inv.vms.every((v) => /^[a-z0-9]+(-[a-z0-9]+)*-\d{2,}$/.test(v.name))).toBe(true)
    const families = new Set(inv.vms.map((v) => v.os.family))
    expect(families).toEqual(new Set(['LINUX', 'WINDOWS']))
    // The indexes hold every VM exactly once per dimension.
    const { byName, ...grouped } = inv.index
    expect(byName.size).toBe(50_000)
    for (const map of Object.values(grouped)) {
      expect([...map.values()].reduce((n, l) => n + l.length, 0)).toBe(50_000)
    }
    // Hosts belong to the VM's cluster and datacenter.
    const hosts = new Map(inv.hosts.map((h) => [h.id, h]))
    expect(inv.vms.every((v) => hosts.get(v.host)?.cluster === v.cluster && hosts.get(v.host)?.datacenter === v.datacenter)).toBe(true)
  })

  it('small labs have 2 datacenters', () => {
    expect(seedInventory(40, 1).datacenters).toHaveLength(2)
  })

  it('power and tools fractions land close to what was asked, and tools need power', () => {
    const inv = seedInventory(10_000, 5)
    applyPowerFractions(inv, 0.2, 0.05)
    const off = inv.vms.filter((v) => v.power === 'POWERED_OFF').length / 10_000
    const suspended = inv.vms.filter((v) => v.power === 'SUSPENDED').length / 10_000
    expect(off).toBeGreaterThan(0.17)
    expect(off).toBeLessThan(0.23)
    expect(suspended).toBeGreaterThan(0.03)
    expect(suspended).toBeLessThan(0.07)
    const on = inv.vms.filter((v) => v.power === 'POWERED_ON')
    const noTools = on.filter((v) => toolsState(v, 0.1) === 'not_running').length / on.length
    expect(noTools).toBeGreaterThan(0.07)
    expect(noTools).toBeLessThan(0.13)
    expect(inv.vms.filter((v) => v.power !== 'POWERED_ON').every((v) => toolsState(v, 0) === 'not_running')).toBe(true)
    const vm = on[0]!
    vm.toolsOverride = 'unsupported'
    expect(toolsState(vm, 1)).toBe('unsupported')
  })
})
