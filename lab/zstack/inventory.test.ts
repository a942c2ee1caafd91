import { describe, expect, it } from 'vitest'
import { zstackDate } from './dates'
import { applyPowerFractions, seedInventory } from './inventory'
import { vmInventory } from './render'
import { schemaOf, toJson } from './wire'

describe('ZStack lab inventory', () => {
  it('is deterministic per seed and holds appliance and destroyed VMs among the user VMs', () => {
    const a = seedInventory(3000, 9)
    const b = seedInventory(3000, 9)
    expect(a.vms.map((v) => [v.uuid, v.name])).toEqual(b.vms.map((v) => [v.uuid, v.name]))
    expect(seedInventory(3000, 10).vms[0]?.uuid).not.toBe(a.vms[0]?.uuid)
    applyPowerFractions(a, 0.25, 0.02)
    const appliance = a.vms.filter((v) => v.type === 'ApplianceVm')
    const destroyed = a.vms.filter((v) => v.state === 'Destroyed')
    expect(appliance.length).toBeGreaterThan(10)
    expect(destroyed.length).toBeGreaterThan(10)
    expect(destroyed.every((v) => v.type === 'UserVm')).toBe(true)
    expect(new Set(a.vms.map((v) => v.uuid)).size).toBe(3000)
    expect(a.vms.every((v) => /^[0-9a-f]{32}$/.test(v.uuid))).toBe(true)
    const states = new Set(a.vms.map((v) => v.state))
    expect(states).toEqual(new Set(['Running', 'Stopped', 'Paused', 'Destroyed']))
    expect(a.zones).toHaveLength(3)
    expect(a.vms.every((v) => a.clusterByUuid.get(v.clusterUuid)?.zoneUuid === v.zoneUuid)).toBe(true)
  })

  it('renders VmInstanceInventory without nulls, hostUuid only while on a host', () => {
    const inv = seedInventory(100, 1)
    applyPowerFractions(inv, 0.5, 0)
    const stopped = inv.vms.find((v) => v.state === 'Stopped')
    const running = inv.vms.find((v) => v.state === 'Running')
    if (!stopped || !running) throw new Error('seed has no stopped or running VM')
    expect(vmInventory(stopped)).not.toHaveProperty('hostUuid', expect.anything())
    expect(toJson(vmInventory(stopped))).not.toContain('hostUuid')
    expect(toJson(vmInventory(stopped))).not.toContain('null')
    expect(vmInventory(running).hostUuid).toBe(running.lastHostUuid)
    const schema = schemaOf('inventories', 'vm', [vmInventory(running), vmInventory(stopped)])
    // JsonSchemaBuilder's order: its post-order list reversed, so each parent precedes its children.
    expect(Object.entries(schema)).toEqual([
      ['inventories[1]', 'org.zstack.header.vm.VmInstanceInventory'],
      ['inventories[1].vmNics[0]', 'org.zstack.header.vm.VmNicInventory'],
      ['inventories[0]', 'org.zstack.header.vm.VmInstanceInventory'],
      ['inventories[0].vmNics[0]', 'org.zstack.header.vm.VmNicInventory'],
    ])
  })

  it('writes dates as Gson does, local time without an offset', () => {
    const ms = new Date(2017, 0, 6, 3, 51, 16).getTime()
    expect(zstackDate(ms)).toBe('Jan 6, 2017 3:51:16 AM')
    expect(zstackDate(new Date(2018, 2, 10, 15, 40, 42).getTime())).toBe('Mar 10, 2018 3:40:42 PM')
    expect(zstackDate(new Date(2018, 2, 10, 0, 5, 0).getTime())).toBe('Mar 10, 2018 12:05:00 AM')
    expect(zstackDate(new Date(2018, 2, 10, 12, 0, 9).getTime())).toBe('Mar 10, 2018 12:00:09 PM')
  })
})
