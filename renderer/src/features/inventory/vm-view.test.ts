import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyRow, searchOf, takeSearchChanged, type VmItem } from './vm-item'
import { VmItems } from './vm-items'
import { createFilterView, createSortedView, filterItems, sortItems } from './vm-view'

function item(id: number, name: string, ip = '', guestOs = '', power = 1, status = ''): VmItem {
  return applyRow('c', 'vsphere', [`vm-${id}`, name, power, '', 'DC/Web', guestOs, ip, ip ? 1 : 0, status])
}

const items = [
  item(1, 'web-02', '10.0.0.10', 'Ubuntu Linux (64-bit)'),
  item(2, 'Web-01', '10.0.0.9', 'CentOS 7 (64-bit)', 0),
  item(3, 'db-prod-01', '', '', 2),
  item(4, 'k8s-node-10', '10.2.0.1', 'Ubuntu Linux (64-bit)'),
]

describe('the VM view', () => {
  it('sorts by name without case, by IP numerically, and puts unknown cells last either way', () => {
    expect(sortItems(items, { column: 'name', descending: false }).map((i) => i.name)).toEqual(['db-prod-01', 'k8s-node-10', 'Web-01', 'web-02'])
    expect(sortItems(items, { column: 'ip', descending: false }).map((i) => i.ip)).toEqual(['10.0.0.9', '10.0.0.10', '10.2.0.1', ''])
    expect(sortItems(items, { column: 'ip', descending: true }).map((i) => i.ip)).toEqual(['10.2.0.1', '10.0.0.10', '10.0.0.9', ''])
    expect(sortItems(items, { column: 'power', descending: false }).map((i) => i.power)).toEqual(['on', 'on', 'suspended', 'off'])
  })

  it('filters by name, IP and guest OS, every word, keeping the order', () => {
    const sorted = sortItems(items, { column: 'name', descending: false })
    expect(filterItems(sorted, 'WEB').map((i) => i.name)).toEqual(['Web-01', 'web-02'])
    expect(filterItems(sorted, '10.2').map((i) => i.name)).toEqual(['k8s-node-10'])
    expect(filterItems(sorted, 'ubuntu 10.0').map((i) => i.name)).toEqual(['web-02'])
    expect(filterItems(sorted, '')).toBe(sorted)
  })

  it('the cached filter answers exactly what a fresh filter answers, whatever was typed before', () => {
    const names = ['web-01', 'web-02', 'web-prod-01', 'db-01', 'db-prod-02', 'k8s-node-1', 'k8s-node-10', 'sql 01']
    const statuses = ['ACTIVE · powering-off', 'SHUTOFF', '', 'ERROR']
    const pool = names.map((n, i) => item(i, n, `10.0.${i}.${i * 7}`, i % 2 ? 'Ubuntu' : 'Windows', 1, statuses[i % 4]))
    const sorted = sortItems(pool, { column: 'name', descending: false })
    fc.assert(
      // Random text, and words (and their beginnings, as typed) that statuses and names hold.
      fc.property(fc.array(fc.oneof(fc.stringMatching(/^[a-z0-9 .-]{0,8}$/), fc.constantFrom('a', 'ac', 'active', 'off', 'shutof', 'err', 'powering', 'web', 'active w', 'active web', 'off db')), { maxLength: 30 }), (queries) => {
        const view = createFilterView()
        for (const q of queries) expect(view(sorted, q, 0)).toEqual(filterItems(sorted, q))
      }),
    )
  })

  it('a row updated in place keeps its object, and says when the filter must run again', () => {
    const vm = item(9, 'api-01')
    const same = applyRow('c', 'vsphere', ['vm-9', 'api-01', 0, '', 'DC/Web', 'Debian', '10.1.1.1', 1, 'POWERED_OFF'], vm)
    expect(same).toBe(vm)
    expect(vm.power).toBe('off')
    expect(vm.status).toBe('POWERED_OFF')
    expect(searchOf(vm)).toContain('10.1.1.1')
    expect(filterItems([vm], '10.1.1')).toEqual([vm])
    expect(filterItems([vm], 'powered_off')).toEqual([vm])
    expect(takeSearchChanged()).toBe(true)
    applyRow('c', 'vsphere', ['vm-9', 'api-01', 0, '', 'DC/Web', 'Debian', '10.1.1.1', 1, 'POWERED_OFF'], vm)
    expect(takeSearchChanged()).toBe(false)
    // A new provider status alone is a change the filter must see.
    applyRow('c', 'vsphere', ['vm-9', 'api-01', 0, '', 'DC/Web', 'Debian', '10.1.1.1', 1, 'SUSPENDED'], vm)
    expect(takeSearchChanged()).toBe(true)
  })

  it('a word typed on the way to a name does not match every vCenter status', () => {
    const pool = [item(1, 'web-01', '', '', 1, 'POWERED_ON'), item(2, 'db-01', '', '', 0, 'POWERED_OFF'), item(3, 'app-01', '', '', 2, 'SUSPENDED')]
    const sorted = sortItems(pool, { column: 'name', descending: false })
    expect(filterItems(sorted, 'we').map((i) => i.name)).toEqual(['web-01'])
    expect(filterItems(sorted, 'd').map((i) => i.name)).toEqual(['db-01'])
    expect(filterItems(sorted, 'on').map((i) => i.name)).toEqual(['web-01'])
    expect(filterItems(sorted, 'powered_of').map((i) => i.name)).toEqual(['db-01'])
    expect(filterItems(sorted, 'susp').map((i) => i.name)).toEqual(['app-01'])
  })

  it('the provider status is found by the filter, whatever its case, and sorts with empty ones last', () => {
    const pool = [
      item(1, 'nova-a', '10.0.0.1', 'Ubuntu', 1, 'ACTIVE · powering-off'),
      item(2, 'nova-b', '10.0.0.2', 'Ubuntu', 3, 'ERROR'),
      item(3, 'nova-c', '10.0.0.3', 'Ubuntu', 0, 'SHUTOFF'),
      item(4, 'vnc-d', '', '', 1, ''),
      item(5, 'nova-e', '10.0.0.5', 'Ubuntu', 1, 'ACTIVE'),
    ]
    const sorted = sortItems(pool, { column: 'name', descending: false })
    expect(filterItems(sorted, 'powering').map((i) => i.name)).toEqual(['nova-a'])
    expect(filterItems(sorted, 'ERROR').map((i) => i.name)).toEqual(['nova-b'])
    expect(filterItems(sorted, 'active').map((i) => i.name)).toEqual(['nova-a', 'nova-e'])
    expect(filterItems(sorted, 'active off').map((i) => i.name)).toEqual(['nova-a'])
    // Every word somewhere: one in the status, one in the name; a word found nowhere matches nothing.
    expect(filterItems(sorted, 'shutoff nova').map((i) => i.name)).toEqual(['nova-c'])
    expect(filterItems(sorted, 'shutoff vnc')).toEqual([])
    expect(filterItems(sorted, 'ubuntu error').map((i) => i.name)).toEqual(['nova-b'])
    // By the start of a status word, not anywhere inside: 'ff' or 'ower' finds no status.
    expect(filterItems(sorted, 'off').map((i) => i.name)).toEqual(['nova-a'])
    expect(filterItems(sorted, 'powering-of').map((i) => i.name)).toEqual(['nova-a'])
    expect(filterItems(sorted, 'ff')).toEqual([])
    expect(filterItems(sorted, 'ower')).toEqual([])
    expect(sortItems(pool, { column: 'status', descending: false }).map((i) => i.status)).toEqual(['ACTIVE', 'ACTIVE · powering-off', 'ERROR', 'SHUTOFF', ''])
    expect(sortItems(pool, { column: 'status', descending: true }).map((i) => i.status)).toEqual(['SHUTOFF', 'ERROR', 'ACTIVE · powering-off', 'ACTIVE', ''])
  })
})

describe('the sorted view of a growing inventory', () => {
  it('merges new VMs in, and equals a full sort after additions, removals and order changes', () => {
    const view = createSortedView()
    const map = new VmItems()
    const order = { column: 'name' as const, descending: false }
    const byIp = { column: 'ip' as const, descending: true }
    let version = 0
    let removals = 0
    const add = (n: number): void => {
      for (let i = 0; i < n; i++) {
        const id = map.size * 7 + i
        const it = item(id, `vm-${(id * 7919) % 1000}`, id % 3 ? `10.0.${id % 7}.${id % 250}` : '')
        map.add(map.of('c'), it)
      }
      version++
    }
    add(50)
    expect(view(map, version, removals, order)).toEqual(sortItems(map.values(), order))
    add(30)
    expect(view(map, version, removals, order)).toEqual(sortItems(map.values(), order))
    map.remove('c', (map.values()[3] as VmItem).id)
    removals++
    version++
    add(10)
    expect(view(map, version, removals, order)).toEqual(sortItems(map.values(), order))
    add(5)
    expect(view(map, version, removals, byIp)).toEqual(sortItems(map.values(), byIp))
    add(5)
    expect(view(map, version, removals, byIp)).toEqual(sortItems(map.values(), byIp))
  })
})
