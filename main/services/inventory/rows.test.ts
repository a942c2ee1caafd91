import { describe, expect, it } from 'vitest'
import type { Vm } from '../../../contract/inventory'
import { guestOsName } from './guest-os-names'
import { Limiter } from './limiter'
import { RowBatcher, CHUNK_ROWS, type RowBatch } from './row-batcher'
import { rowOf, sameRow, withDetails, withListedDetails, withPower } from './rows'

const vm = (over: Partial<Vm> = {}): Vm => ({
  ref: { connectionId: 'c', id: 'vm-1' },
  name: 'web-01',
  power: 'on',
  provider: 'vsphere',
  raw: {},
  host: 'esx-01',
  group: 'DC/Web',
  status: 'POWERED_ON',
  ...over,
})

describe('rows', () => {
  it('a refresh keeps filled details while the power state holds, and forgets them when it changes', () => {
    const filled = withDetails(rowOf(vm()), { guestOs: 'UBUNTU_64', ip: '10.0.0.5' })
    expect(filled).toEqual(['vm-1', 'web-01', 1, 'esx-01', 'DC/Web', 'Ubuntu Linux (64-bit)', '10.0.0.5', 1, 'POWERED_ON'])
    expect(sameRow(rowOf(vm(), filled), filled)).toBe(true)
    const off = rowOf(vm({ power: 'off' }), filled)
    expect(off[6]).toBe('')
    expect(off[7]).toBe(0)
    expect(withPower(filled, 'off')[7]).toBe(0)
    expect(withPower(filled, 'on')).toBe(filled)
  })

  it('a row listed as is (VmPage.rows) is merged as rowOf merges the Vm it stands for', () => {
    const filled = withDetails(rowOf(vm()), { guestOs: 'UBUNTU_64', ip: '10.0.0.5' })
    for (const listed of [vm(), vm({ power: 'off', status: 'POWERED_OFF' }), vm({ name: 'web-01b', host: 'esx-02' })]) {
      for (const previous of [undefined, filled, rowOf(vm())]) expect(withListedDetails(rowOf(listed), previous)).toEqual(rowOf(listed, previous))
    }
  })

  it('a failed lookup marks the row, so it is not asked again and again', () => {
    expect(withDetails(rowOf(vm()), undefined)[7]).toBe(2)
    expect(withDetails(rowOf(vm()), undefined)[8]).toBe('POWERED_ON')
  })

  it('carries the provider status: from the listing, and from a power read', () => {
    expect(rowOf(vm({ provider: 'openstack', status: 'ACTIVE · powering-off' }))[8]).toBe('ACTIVE · powering-off')
    const { status: _none, ...vnc } = vm({ provider: 'vnc' })
    expect(rowOf(vnc)[8]).toBe('')
    // A listing's new status is a change to send, even when the power is the same.
    const listed = rowOf(vm({ status: 'ACTIVE' }))
    expect(sameRow(rowOf(vm({ status: 'ACTIVE · powering-off' }), listed), listed)).toBe(false)
    // The task under way shows while the power holds; details stay.
    const filled = withDetails(listed, { ip: '10.0.0.5' })
    const stopping = withPower(filled, 'on', 'ACTIVE · powering-off')
    expect(stopping).toEqual(['vm-1', 'web-01', 1, 'esx-01', 'DC/Web', '', '10.0.0.5', 1, 'ACTIVE · powering-off'])
    expect(withPower(stopping, 'on', 'ACTIVE · powering-off')).toBe(stopping)
    expect(withPower(stopping, 'on')).toBe(stopping)
    // The new state: its status, and the details forgotten.
    expect(withPower(stopping, 'off', 'SHUTOFF')).toEqual(['vm-1', 'web-01', 0, 'esx-01', 'DC/Web', '', '', 0, 'SHUTOFF'])
    // A new power without a status drops the old one: it described the state the VM left.
    expect(withPower(stopping, 'off')[8]).toBe('')
  })

  it('guest OS ids read as names', () => {
    expect(guestOsName('CENTOS_7_64')).toBe('CentOS 7 (64-bit)')
    expect(guestOsName('SOLARIS_11_64')).toBe('Solaris 11 (64-bit)')
    expect(guestOsName('Ubuntu Linux (64-bit)')).toBe('Ubuntu Linux (64-bit)')
  })
})

describe('RowBatcher', () => {
  it('coalesces changes in its window: the last word about a VM wins, big batches are chunked', async () => {
    const sent: RowBatch[] = []
    const batcher = new RowBatcher((b) => sent.push(b), 10)
    batcher.upsert('c', 'vsphere', rowOf(vm()))
    batcher.remove('c', 'vsphere', 'vm-1')
    batcher.upsert('c', 'vsphere', rowOf(vm({ ref: { connectionId: 'c', id: 'vm-2' } })))
    expect(sent).toEqual([])
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(sent).toHaveLength(1)
    expect(sent[0]?.upsert.map((r) => r[0])).toEqual(['vm-2'])
    expect(sent[0]?.remove).toEqual(['vm-1'])
    for (let i = 0; i < CHUNK_ROWS + 5; i++) batcher.upsert('c', 'vsphere', rowOf(vm({ ref: { connectionId: 'c', id: `vm-${i}` } })))
    batcher.flush()
    expect(sent.slice(1).map((b) => b.upsert.length)).toEqual([CHUNK_ROWS, 5])
    batcher.dispose()
  })
})

describe('Limiter', () => {
  it('never runs more than its bound, even when a finishing task meets a newcomer', async () => {
    const limiter = new Limiter(2)
    let running = 0
    let peak = 0
    const task = async (): Promise<void> => {
      running++
      peak = Math.max(peak, running)
      await new Promise((resolve) => setTimeout(resolve, 1))
      running--
    }
    const jobs = Array.from({ length: 10 }, () => limiter.run(task))
    await jobs[0]
    jobs.push(limiter.run(task), limiter.run(task))
    await Promise.all(jobs)
    expect(peak).toBe(2)
    expect(limiter.peak).toBe(2)
  })
})

describe('RowBatcher.append', () => {
  it('sends a full chunk at once instead of waiting for the window', () => {
    const sent: RowBatch[] = []
    const batcher = new RowBatcher((b) => sent.push(b), 10_000)
    const rows = Array.from({ length: CHUNK_ROWS + 1 }, (_, i) => rowOf(vm({ ref: { connectionId: 'c', id: `vm-${i}` } })))
    batcher.append('c', 'vsphere', rows.slice(0, 10))
    expect(sent).toHaveLength(0)
    batcher.append('c', 'vsphere', rows.slice(10))
    expect(sent.reduce((n, b) => n + b.upsert.length, 0)).toBe(CHUNK_ROWS + 1)
    batcher.dispose()
  })
})
