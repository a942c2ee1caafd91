// The inventory through the real host, vault, trust store and WebSocket transport against two
// vCenter labs on 127.0.0.1: pages stream as events before the listing ends, a refresh merges
// (added, changed, removed), a stopped lab fails only its own connection, locking drops every
// connection, and details are cached and fetched a few at a time.
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionState, PackedRows, VmRow } from '../../contract/inventory'
import { packedCount, POWER_CODES, unpackRows } from '../../contract/inventory'
import type { ProfileSummary } from '../../contract/profiles'
import { startVsphereLab, type VsphereLab } from '../../lab/vsphere/simulator'
import type { Vm as LabVm } from '../../lab/vsphere/inventory'
import { MASTER_PASSWORD, startProfilesHarness, until, type ProfilesHarness } from './profiles-harness'

let h: ProfilesHarness
let labA: VsphereLab
let labB: VsphereLab
let profileA: ProfileSummary
let profileB: ProfileSummary

/** Rows as the renderer would hold them, rebuilt from the events alone. */
const seen = new Map<string, Map<string, VmRow>>()
const states = new Map<string, ConnectionState>()
let rowEventsBeforeReady = 0

function follow(): void {
  // The harness keeps every event; replay the new ones into the renderer-side picture.
  let next = 0
  const tick = (): void => {
    for (; next < h.events.length; next++) {
      const { name, payload } = h.events[next] as { name: string; payload: never }
      if (name === 'inventory.rows') {
        const p = payload as { connectionId: string; reset?: boolean; upsert: PackedRows; remove: string[] }
        if (states.get(p.connectionId)?.phase !== 'ready') rowEventsBeforeReady++
        let rows = seen.get(p.connectionId)
        if (!rows || p.reset) seen.set(p.connectionId, (rows = new Map()))
        for (const r of unpackRows(p.upsert)) rows.set(r[0], r)
        for (const id of p.remove) rows.delete(id)
      } else if (name === 'inventory.connection') {
        const s = payload as ConnectionState & { removed?: boolean }
        if (s.removed) {
          states.delete(s.connectionId)
          seen.delete(s.connectionId)
        } else states.set(s.connectionId, s)
      }
    }
  }
  const timer = setInterval(tick, 2)
  timer.unref()
}

/** The lab's control endpoint (`/lab/…`, its admin token), as a test or a demo drives it. */
async function control(lab: VsphereLab, method: 'POST' | 'DELETE', pathname: string, body?: unknown): Promise<Record<string, unknown>> {
  const agent = new Agent({ connect: { ca: lab.certificate().cert } })
  try {
    const res = await request(`${lab.url}${pathname}`, {
      method,
      headers: { authorization: `Bearer ${lab.adminToken}`, 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      dispatcher: agent,
    })
    const json = (await res.body.json()) as Record<string, unknown>
    if (res.statusCode >= 300) throw new Error(`lab control ${method} ${pathname}: ${res.statusCode} ${JSON.stringify(json)}`)
    return json
  } finally {
    await agent.close()
  }
}

/** Counts the lab's detail requests (VM get, guest identity) and the most in flight at once. */
function countDetailRequests(lab: VsphereLab): { total: number; peak: number; stop(): void } {
  const counter = { total: 0, peak: 0, inFlight: 0, stop: () => {} }
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (!/\/vcenter\/vm\/vm-\d+(\/guest\/identity)?$/.test(new URL(req.url ?? '/', 'https://x').pathname)) return
    counter.total++
    counter.inFlight++
    counter.peak = Math.max(counter.peak, counter.inFlight)
    res.once('close', () => counter.inFlight--)
  }
  lab.server.prependListener('request', onRequest)
  counter.stop = () => lab.server.off('request', onRequest)
  return counter
}

async function addProfile(name: string, lab: VsphereLab): Promise<ProfileSummary> {
  const profile = await h.call('profiles.add', { kind: 'vsphere', name, endpoint: lab.url, user: lab.user, trust: { mode: 'pinned' }, secret: lab.password })
  // Trust the lab's certificate the way the UI's prompt does: the refusal first, then tls.trust.
  const error = await h.fail('profiles.test', { id: profile.id })
  expect(error.code).toBe('TLS_UNTRUSTED')
  expect((error.detail as { fingerprint256?: string }).fingerprint256).toBe(lab.certificate().sha256)
  await h.call('tls.trust', { profileId: profile.id, host: '127.0.0.1', port: lab.port, fingerprint256: lab.certificate().sha256 })
  return profile
}

async function ready(id: string, timeoutMs = 20_000): Promise<ConnectionState> {
  await until(`${id} ready`, () => states.get(id)?.phase === 'ready' && !states.get(id)?.loading, timeoutMs)
  return states.get(id) as ConnectionState
}

beforeAll(async () => {
  h = await startProfilesHarness()
  follow()
  const dataDir = path.join(h.root, 'labs')
  // List caps below the VM counts: the provider partitions, so pages arrive part by part.
  labA = await startVsphereLab({ vms: 3000, seed: 11, dataDir: path.join(dataDir, 'a'), faults: { listCap: 400, guestPowerDelayMs: 50 } })
  labB = await startVsphereLab({ vms: 600, seed: 12, dataDir: path.join(dataDir, 'b'), faults: { listCap: 200 } })
  profileA = await addProfile('Lab A', labA)
  profileB = await addProfile('Lab B', labB)
}, 60_000)

afterAll(async () => {
  await h?.close()
  await labA?.stop()
  await labB?.stop()
})

describe('inventory against the vCenter lab', () => {
  it('streams pages as events before the listing ends, and ends with every VM', async () => {
    // Each lab answer takes a while, as a real vCenter's do: the listing then spans several of
    // the service's batch windows, whatever the speed of this machine.
    await control(labA, 'POST', '/lab/faults', { latencyMs: 120 })
    try {
      const first = await h.call('inventory.connect', { connectionId: profileA.id })
      expect(first.phase).toBe('connecting')
      await ready(profileA.id)
    } finally {
      await control(labA, 'POST', '/lab/faults', { latencyMs: 0 })
    }
    expect(rowEventsBeforeReady).toBeGreaterThan(1)
    const rows = seen.get(profileA.id) as Map<string, VmRow>
    expect(rows.size).toBe(3000)
    const vm = labA.state.inv.vms[42] as LabVm
    const row = rows.get(vm.id) as VmRow
    expect(row[1]).toBe(vm.name)
    expect(row[2]).toBe(POWER_CODES[vm.power === 'POWERED_ON' ? 'on' : vm.power === 'POWERED_OFF' ? 'off' : 'suspended'])
    expect(row[4]).toMatch(/^DC-/) // group: datacenter/folder from the partition it was listed in
    expect(row[7]).toBe(0) // details not fetched at connect
    expect(states.get(profileA.id)?.vmCount).toBe(3000)
  }, 30_000)

  it('a refresh merges: added, powered off and removed VMs, and nothing else is sent', async () => {
    const rows = seen.get(profileA.id) as Map<string, VmRow>
    const on = labA.state.inv.vms.find((v) => v.power === 'POWERED_ON') as LabVm
    const gone = labA.state.inv.vms[7] as LabVm
    await control(labA, 'POST', `/lab/vms/${on.id}`, { power: 'POWERED_OFF' })
    const added = String((await control(labA, 'POST', '/lab/vms', { name: 'web-prod-new-01' })).vm)
    await control(labA, 'DELETE', `/lab/vms/${gone.id}`)
    const before = h.events.length
    await h.call('inventory.refresh', { connectionId: profileA.id })
    await until('refresh started', () => states.get(profileA.id)?.loading === true)
    await ready(profileA.id)
    const batches = h.events
      .slice(before)
      .filter((e) => e.name === 'inventory.rows')
      .map((e) => e.payload as { upsert: PackedRows; remove: string[]; reset?: boolean })
    expect(batches.some((b) => b.reset)).toBe(false)
    const upserted = batches.flatMap((b) => b.upsert.ids).sort()
    expect(upserted).toEqual([on.id, added].sort())
    expect(batches.flatMap((b) => b.remove)).toEqual([gone.id])
    expect(rows.get(on.id)?.[2]).toBe(POWER_CODES.off)
    expect(rows.get(added)?.[1]).toBe('web-prod-new-01')
    expect(rows.has(gone.id)).toBe(false)
    expect(rows.size).toBe(3000)
  }, 30_000)

  it('details are fetched for the rows asked, a few at a time, and cached', async () => {
    await labA.setFaults({ latencyMs: 40 })
    const ids = labA.state.inv.vms.slice(100, 140).map((v) => v.id)
    const counter = countDetailRequests(labA)
    try {
      const { rows } = await h.call('inventory.details', { refs: ids.map((id) => ({ connectionId: profileA.id, id })) })
      expect(rows).toHaveLength(40)
      for (const { row } of rows) expect(row[7]).not.toBe(0)
      const withIp = rows.find(({ row }) => row[6] !== '')
      expect(withIp?.row[5]).not.toBe('')
      // One identity call per VM (plus a VM get where Tools are not running), never more than 6 at once.
      expect(counter.total).toBeGreaterThanOrEqual(40)
      expect(counter.total).toBeLessThanOrEqual(80)
      expect(counter.peak).toBeLessThanOrEqual(6)
      expect(counter.peak).toBeGreaterThan(1)
      const total = counter.total
      const again = await h.call('inventory.details', { refs: ids.map((id) => ({ connectionId: profileA.id, id })) })
      expect(again.rows.map((r) => r.row)).toEqual(rows.map((r) => r.row))
      expect(counter.total).toBe(total)
    } finally {
      counter.stop()
      await labA.setFaults({ latencyMs: 0 })
    }
  }, 30_000)

  it('power off and on go to the server and the row follows', async () => {
    const vm = labA.state.inv.vms.find((v) => v.power === 'POWERED_ON' && !v.busy) as LabVm
    const off = await h.call('inventory.power', { ref: { connectionId: profileA.id, id: vm.id }, action: 'off' })
    expect(off.row[2]).toBe(POWER_CODES.off)
    expect(labA.state.inv.vmById.get(vm.id)?.power).toBe('POWERED_OFF')
    await until('row event off', () => seen.get(profileA.id)?.get(vm.id)?.[2] === POWER_CODES.off)
    const on = await h.call('inventory.power', { ref: { connectionId: profileA.id, id: vm.id }, action: 'on' })
    expect(on.row[2]).toBe(POWER_CODES.on)
    expect(labA.state.inv.vmById.get(vm.id)?.power).toBe('POWERED_ON')
  })

  it('a stopped lab fails its own connection with a clear error and keeps the other one whole', async () => {
    await h.call('inventory.connect', { connectionId: profileB.id })
    await ready(profileB.id)
    expect(seen.get(profileB.id)?.size).toBe(600)
    await labB.stop()
    await h.call('inventory.refresh', {})
    await until('B in error', () => states.get(profileB.id)?.phase === 'error', 20_000)
    await ready(profileA.id)
    const b = states.get(profileB.id) as ConnectionState
    expect(b.error?.code).toBe('PROVIDER_UNAVAILABLE')
    expect(b.error?.message).toMatch(/Cannot reach vCenter/)
    expect(b.staleSince).toBeDefined()
    // B's last rows stay (stale), A's are untouched.
    expect(seen.get(profileB.id)?.size).toBe(600)
    expect(seen.get(profileA.id)?.size).toBe(3000)
    expect(states.get(profileA.id)?.error).toBeUndefined()
  }, 40_000)

  it('sync sends every row again, for a renderer that reloads', async () => {
    const mark = h.events.length
    const { connections } = await h.call('inventory.sync', {})
    expect(connections.map((c) => c.connectionId).sort()).toEqual([profileA.id, profileB.id].sort())
    const resent = h.events.slice(mark).filter((e) => e.name === 'inventory.rows' && (e.payload as { connectionId: string }).connectionId === profileA.id)
    expect(resent.reduce((n, e) => n + packedCount((e.payload as { upsert: PackedRows }).upsert), 0)).toBe(3000)
    expect((resent[0]?.payload as { reset?: boolean }).reset).toBe(true)
  })

  it('locking the vault drops every connection; after unlocking it connects again', async () => {
    await h.call('vault.lock', {})
    await until('connections dropped', () => states.size === 0 && seen.size === 0)
    expect(h.host.inventory.states()).toEqual([])
    expect((await h.fail('inventory.connect', { connectionId: profileA.id })).code).toBe('VAULT_LOCKED')
    await h.call('vault.unlock', { password: MASTER_PASSWORD })
    await h.call('inventory.connect', { connectionId: profileA.id })
    await ready(profileA.id)
    expect(seen.get(profileA.id)?.size).toBe(3000)
  }, 30_000)

  it('the vSphere provider is the connection tester of vsphere profiles', async () => {
    const result = await h.call('profiles.test', { id: profileA.id })
    expect(result.message).toContain(`127.0.0.1:${labA.port}`)
  })
})
