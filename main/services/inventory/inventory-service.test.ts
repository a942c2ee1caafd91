import { describe, expect, it } from 'vitest'
import type { ConnectionState, PowerState, Vm } from '../../../contract/inventory'
import { POWER_CODES } from '../../../contract/inventory'
import type { ProfileSummary } from '../../../contract/profiles'
import { memoryLog } from '../log/log'
import type { StoredProfile } from '../profiles/profile-records'
import type { InventoryProvider } from '../providers/registry'
import { memorySecretStore } from '../vault/secret-store'
import { createInventoryService } from './inventory-service'
import type { RowBatch } from './row-batcher'

const signal = new AbortController().signal

function profile(id: string, updatedAt = '2026-01-01T00:00:00.000Z'): StoredProfile {
  return {
    id,
    fields: { kind: 'vsphere', name: `vc ${id}`, endpoint: 'https://127.0.0.1:1', user: 'u', trust: { mode: 'pinned' } },
    secret: 'pw',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt,
  }
}

interface FakeVm {
  id: string
  power: PowerState
  status?: string
}

/** A provider over a mutable list of VMs; counts its logins and detail lookups. `extra` adds or replaces methods. */
function fakeProvider(connectionId: string, vms: FakeVm[], extra: Partial<InventoryProvider> = {}) {
  const stats = { logins: 0, details: 0, inFlight: 0, peak: 0 }
  const provider: InventoryProvider = {
    kind: 'vsphere',
    connectionId,
    async login() {
      stats.logins++
    },
    async logout() {},
    async *listVms() {
      yield {
        vms: vms.map((v): Vm => ({ ref: { connectionId, id: v.id }, name: v.id, power: v.power, ...(v.status !== undefined ? { status: v.status } : {}), provider: 'vsphere', raw: {} })),
      }
    },
    async vmDetails() {
      stats.details++
      stats.inFlight++
      stats.peak = Math.max(stats.peak, stats.inFlight)
      await new Promise((resolve) => setTimeout(resolve, 5))
      stats.inFlight--
      return { guestOs: 'UBUNTU_64', ip: '10.0.0.1' }
    },
    async power(id, action) {
      const vm = vms.find((v) => v.id === id)
      if (vm && action === 'off') vm.power = 'off'
      if (vm && action === 'shutdown') setTimeout(() => (vm.power = 'off'), 30)
    },
    async vmPower(id) {
      return vms.find((v) => v.id === id)?.power ?? 'unknown'
    },
    async consoleTicket() {
      throw new Error('not here')
    },
    ...extra,
  }
  return { provider, stats }
}

function harness(vms: FakeVm[], detailConcurrency = 2, extra: Partial<InventoryProvider> = {}) {
  const store = memorySecretStore()
  const profiles = new Map([['p1', profile('p1')]])
  const fakes: ReturnType<typeof fakeProvider>[] = []
  const states: (ConnectionState & { removed?: boolean })[] = []
  const batches: RowBatch[] = []
  const service = createInventoryService({
    profile: (id) => {
      const p = profiles.get(id)
      if (!p) throw new Error('no profile')
      return p
    },
    createProvider: (p) => {
      const fake = fakeProvider(p.id, vms, extra)
      fakes.push(fake)
      return fake.provider
    },
    secrets: store,
    log: memoryLog(),
    onRows: (b) => batches.push(b),
    onConnection: (s) => states.push(s),
    batchMs: 5,
    detailConcurrency,
    shutdownWatchMs: 2000,
  })
  return { service, store, profiles, fakes, states, batches }
}

const summary = (p: StoredProfile): ProfileSummary => ({ ...p.fields, id: p.id, hasSecret: true, createdAt: p.createdAt, updatedAt: p.updatedAt }) as ProfileSummary

describe('inventory service', () => {
  it('a VM a first listing yields twice is one row, the later one, sent after the first', async () => {
    const vms: FakeVm[] = [
      { id: 'vm-1', power: 'on' },
      { id: 'vm-2', power: 'on' },
      { id: 'vm-1', power: 'off' },
    ]
    const h = harness(vms)
    h.service.connect('p1')
    await h.service.settled('p1')
    expect([...h.service.rows('p1').keys()]).toEqual(['vm-1', 'vm-2'])
    expect(h.service.rows('p1').get('vm-1')?.[2]).toBe(POWER_CODES.off)
    expect(h.states.at(-1)?.vmCount).toBe(2)
    // What the renderer applies, in order, ends with the later row.
    const sent = h.batches.flatMap((b) => b.upsert).filter((r) => r[0] === 'vm-1')
    expect(sent.at(-1)?.[2]).toBe(POWER_CODES.off)
    await h.service.dispose()
  })

  it('details asked twice at once are looked up once, at most `detailConcurrency` at a time', async () => {
    const vms = Array.from({ length: 8 }, (_, i) => ({ id: `vm-${i}`, power: 'on' as PowerState }))
    const h = harness(vms)
    h.service.connect('p1')
    await h.service.settled('p1')
    const refs = vms.map((v) => ({ connectionId: 'p1', id: v.id }))
    const [a, b] = await Promise.all([h.service.details(refs, signal), h.service.details(refs, signal)])
    const stats = h.fakes[0]?.stats
    expect(stats?.details).toBe(8)
    expect(stats?.peak).toBe(2)
    expect(a.map((r) => r.row[5])).toEqual(Array(8).fill('Ubuntu Linux (64-bit)'))
    expect(b).toEqual(a)
    await h.service.dispose()
  })

  it('a guest shutdown is watched until the VM is off, and its row follows', async () => {
    const vms = [{ id: 'vm-1', power: 'on' as PowerState }]
    const h = harness(vms)
    h.service.connect('p1')
    await h.service.settled('p1')
    const { row } = await h.service.power({ connectionId: 'p1', id: 'vm-1' }, 'shutdown', signal)
    expect(row[2]).toBe(POWER_CODES.on)
    const deadline = Date.now() + 3000
    while (h.service.rows('p1').get('vm-1')?.[2] !== POWER_CODES.off) {
      if (Date.now() > deadline) throw new Error('the shutdown never showed')
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    await h.service.dispose()
  })

  it('a power action shows the provider status read on the way, then the one it ends in', async () => {
    const vms: FakeVm[] = [{ id: 'vm-1', power: 'on', status: 'ACTIVE' }]
    let release = (): void => undefined
    const done = new Promise<void>((resolve) => (release = resolve))
    const h = harness(vms, 2, {
      // Nova's way: the old status with the task under way, until the task ends.
      async vmStatus(_id, _signal, progress) {
        progress?.({ power: 'on', status: 'ACTIVE · powering-off' })
        await done
        return { power: 'off', status: 'SHUTOFF' }
      },
    })
    h.service.connect('p1')
    await h.service.settled('p1')
    expect(h.service.rows('p1').get('vm-1')?.[8]).toBe('ACTIVE')
    const pending = h.service.power({ connectionId: 'p1', id: 'vm-1' }, 'off', signal)
    const sent = (status: string): boolean => h.batches.some((b) => b.upsert.some((r) => r[0] === 'vm-1' && r[8] === status))
    const deadline = Date.now() + 3000
    while (!sent('ACTIVE · powering-off')) {
      if (Date.now() > deadline) throw new Error('the task under way was never sent')
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    expect(h.service.rows('p1').get('vm-1')?.[2]).toBe(POWER_CODES.on)
    release()
    const { row } = await pending
    expect([row[2], row[8]]).toEqual([POWER_CODES.off, 'SHUTOFF'])
    expect(sent('SHUTOFF')).toBe(true)
    await h.service.dispose()
  })

  it('a provider that reads only the power: a changed power drops the status it listed', async () => {
    const h = harness([{ id: 'vm-1', power: 'on', status: 'POWERED_ON' }])
    h.service.connect('p1')
    await h.service.settled('p1')
    const { row } = await h.service.power({ connectionId: 'p1', id: 'vm-1' }, 'off', signal)
    expect([row[2], row[8]]).toEqual([POWER_CODES.off, ''])
    await h.service.dispose()
  })

  it('follows profiles: an edited one reconnects with a new session, a deleted one is dropped', async () => {
    const h = harness([{ id: 'vm-1', power: 'on' }])
    h.service.connect('p1')
    await h.service.settled('p1')
    expect(h.fakes).toHaveLength(1)
    const edited = profile('p1', '2026-02-01T00:00:00.000Z')
    h.profiles.set('p1', edited)
    h.service.profilesChanged([summary(edited)])
    await h.service.settled('p1')
    expect(h.fakes).toHaveLength(2)
    expect(h.fakes[1]?.stats.logins).toBe(1)
    h.service.profilesChanged([])
    expect(h.service.states()).toEqual([])
    expect(h.states.at(-1)).toMatchObject({ connectionId: 'p1', removed: true })
    await h.service.dispose()
  })

  it('nothing connects while the vault is locked, and locking drops what was connected', async () => {
    const h = harness([{ id: 'vm-1', power: 'on' }])
    h.service.connect('p1')
    await h.service.settled('p1')
    h.store.lock()
    expect(h.service.states()).toEqual([])
    expect(() => h.service.connect('p1')).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }))
    await h.service.dispose()
  })
})
