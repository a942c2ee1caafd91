import { describe, expect, it } from 'vitest'
import { applyRow, type VmItem } from './vm-item'
import { VmItems } from './vm-items'

const item = (connectionId: string, id: string): VmItem => applyRow(connectionId, 'vsphere', [id, `name ${id}`, 1, '', '', '', '', 0, ''])

describe('VmItems', () => {
  it('finds an item by key or by connection and id, VM ids with a slash included', () => {
    const items = new VmItems()
    const a = item('conn-a', 'vm-1')
    const b = item('conn-b', 'vm-1')
    const nested = item('conn-a', 'folder/vm-2')
    items.add(items.of('conn-a'), a)
    items.add(items.of('conn-b'), b)
    items.add(items.of('conn-a'), nested)
    expect(items.size).toBe(3)
    expect(items.get(a.key)).toBe(a)
    expect(items.get(b.key)).toBe(b)
    expect(items.get('conn-a/folder/vm-2')).toBe(nested)
    expect(items.find('conn-b', 'vm-1')).toBe(b)
    expect(items.get('conn-a')).toBeUndefined()
    expect(items.get('conn-c/vm-1')).toBeUndefined()
  })

  it('lists items in the order added, without the removed ones', () => {
    const items = new VmItems()
    const all = ['1', '2', '3', '4'].map((id) => item(id === '3' ? 'conn-b' : 'conn-a', `vm-${id}`))
    for (const it of all) items.add(items.of(it.connectionId), it)
    expect(items.values()).toEqual(all)
    expect(items.remove('conn-a', 'vm-2')).toBe(true)
    expect(items.remove('conn-a', 'vm-2')).toBe(false)
    expect(items.values()).toEqual([all[0], all[2], all[3]])
    items.removeConnection('conn-a')
    expect(items.size).toBe(1)
    expect(items.values()).toEqual([all[2]])
    // A connection listed again after it was dropped: its new items come after the others.
    const again = item('conn-a', 'vm-1')
    items.add(items.of('conn-a'), again)
    expect(items.values()).toEqual([all[2], again])
    expect(items.get(again.key)).toBe(again)
    items.clear()
    expect(items.size).toBe(0)
    expect(items.values()).toEqual([])
  })
})
