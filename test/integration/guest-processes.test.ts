// Guest processes and guest credentials through the real host, vault, trust store and WebSocket
// transport against the vCenter lab on 127.0.0.1: every guest.* call, every documented error
// (missing and refused credentials, Tools not running, Tools unsupported, VM off, busy, a program
// or pid that does not exist, a kill the guest user may not do), credentials remembered in the
// vault only once they worked and never sent back, and a guest of 5,000 processes.
import path from 'node:path'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { ProcessRow } from '../../contract/guest'
import type { ConnectionState, VmRef } from '../../contract/inventory'
import type { ProfileSummary } from '../../contract/profiles'
import { GUEST_PASSWORD, GUEST_SAML_TOKEN } from '../../lab/vsphere/guest-auth'
import type { Vm as LabVm } from '../../lab/vsphere/inventory'
import { startVsphereLab, type VsphereLab } from '../../lab/vsphere/simulator'
import { MASTER_PASSWORD, startProfilesHarness, until, type ProfilesHarness } from './profiles-harness'

let h: ProfilesHarness
let lab: VsphereLab
let profile: ProfileSummary
let agent: Agent

async function control(pathname: string, body: unknown): Promise<void> {
  const res = await request(`${lab.url}${pathname}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${lab.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    dispatcher: agent,
  })
  const text = await res.body.text()
  if (res.statusCode !== 200) throw new Error(`lab control ${pathname}: ${res.statusCode} ${text}`)
}

/** Powered-on guests of a family whose Tools run, in lab order; each test takes its own. */
function labVms(family: 'LINUX' | 'WINDOWS'): LabVm[] {
  return lab.state.inv.vms.filter((v) => v.power === 'POWERED_ON' && v.os.family === family && v.toolsDraw >= lab.state.faults.toolsNotRunningFraction)
}
let linuxPool: LabVm[] = []
function takeLinuxVm(): VmRef {
  const vm = linuxPool.shift()
  if (!vm) throw new Error('no more Linux VMs in the lab')
  return { connectionId: profile.id, id: vm.id }
}

async function giveRoot(vm: VmRef, remember = false): Promise<void> {
  await h.call('guest.credentials.set', { vm, type: 'password', user: 'root', password: GUEST_PASSWORD, remember })
}

const byPid = (rows: ProcessRow[], pid: number): ProcessRow | undefined => rows.find((r) => r[0] === pid)

beforeAll(async () => {
  h = await startProfilesHarness()
  lab = await startVsphereLab({ vms: 400, seed: 21, dataDir: path.join(h.root, 'lab'), faults: { processChurnMs: 500 } })
  agent = new Agent({ connect: { ca: lab.certificate().cert } })
  profile = await h.call('profiles.add', { kind: 'vsphere', name: 'Lab', endpoint: lab.url, user: lab.user, trust: { mode: 'pinned' }, secret: lab.password })
  // Trust the lab's certificate as the UI's prompt does: the refusal first, then tls.trust.
  expect((await h.fail('profiles.test', { id: profile.id })).code).toBe('TLS_UNTRUSTED')
  await h.call('tls.trust', { profileId: profile.id, host: '127.0.0.1', port: lab.port, fingerprint256: lab.certificate().sha256 })
  await h.call('inventory.connect', { connectionId: profile.id })
  await until('the connection is ready', () => h.host.inventory.states().some((s: ConnectionState) => s.connectionId === profile.id && s.phase === 'ready' && !s.loading), 20_000)
  linuxPool = labVms('LINUX')
}, 60_000)

afterAll(async () => {
  await h?.close()
  await agent?.close()
  await lab?.stop()
})

describe('guest credentials', () => {
  it('asks (missing), says a wrong password was refused (rejected), then works; the secret never comes back', async () => {
    const vm = takeLinuxVm()
    expect(await h.call('guest.credentials.status', { vm })).toEqual({ known: false, remembered: false })
    const missing = await h.fail('guest.processes.list', { vm })
    expect(missing).toMatchObject({ code: 'GUEST_AUTH_FAILED', detail: { reason: 'missing' } })

    await h.call('guest.credentials.set', { vm, type: 'password', user: 'root', password: 'wrong-guest-pw', remember: true })
    const refused = await h.fail('guest.processes.list', { vm })
    expect(refused).toMatchObject({ code: 'GUEST_AUTH_FAILED', detail: { reason: 'rejected' } })
    expect(refused.message).toMatch(/authenticate with the guest/)
    // Refused credentials are dropped, not saved, and the vCenter session was not thrown away.
    expect(await h.call('guest.credentials.status', { vm })).toEqual({ known: false, remembered: false })
    expect(h.host.inventory.states().find((s) => s.connectionId === profile.id)?.phase).toBe('ready')

    const framesBefore = h.frames.length
    const given = await h.call('guest.credentials.set', { vm, type: 'password', user: 'root', password: GUEST_PASSWORD, remember: true })
    expect(given).toEqual({ known: true, remembered: false, type: 'password', user: 'root' })
    const list = await h.call('guest.processes.list', { vm })
    expect(list.user).toBe('root')
    expect(byPid(list.rows, 1)?.[1]).toBe('systemd')
    expect(await h.call('guest.credentials.status', { vm })).toEqual({ known: true, remembered: true, type: 'password', user: 'root' })
    // Nothing the renderer received carries the guest password; the vault file holds it encrypted.
    expect(h.frames.slice(framesBefore).join('\n')).not.toContain(GUEST_PASSWORD)
    expect(h.dataBytes().includes(Buffer.from(GUEST_PASSWORD))).toBe(false)
    expect(h.log.lines.join('\n')).not.toContain(GUEST_PASSWORD)
  })

  it('remembered credentials survive a lock; forget removes them', async () => {
    const vm = takeLinuxVm()
    await giveRoot(vm, true)
    await h.call('guest.processes.list', { vm })
    await h.call('vault.lock', {})
    expect((await h.fail('guest.processes.list', { vm })).code).toBe('VAULT_LOCKED')
    await h.call('vault.unlock', { password: MASTER_PASSWORD })
    await h.call('inventory.connect', { connectionId: profile.id })
    await until('reconnected', () => h.host.inventory.states().some((s) => s.connectionId === profile.id && s.phase === 'ready' && !s.loading), 20_000)
    expect(await h.call('guest.credentials.status', { vm })).toMatchObject({ known: true, remembered: true, user: 'root' })
    expect((await h.call('guest.processes.list', { vm })).rows.length).toBeGreaterThan(10)
    expect(await h.call('guest.credentials.forget', { vm })).toEqual({ known: false, remembered: false })
    expect((await h.fail('guest.processes.list', { vm })).detail).toMatchObject({ reason: 'missing' })
  }, 30_000)

  it('a SAML bearer token works as the advanced option; a wrong one is refused', async () => {
    const vm = takeLinuxVm()
    await h.call('guest.credentials.set', { vm, type: 'saml', samlToken: 'not-the-token', remember: false })
    expect((await h.fail('guest.processes.list', { vm })).detail).toMatchObject({ reason: 'rejected' })
    expect(await h.call('guest.credentials.set', { vm, type: 'saml', samlToken: GUEST_SAML_TOKEN, remember: false })).toMatchObject({ type: 'saml', user: '' })
    expect((await h.call('guest.processes.list', { vm })).rows.length).toBeGreaterThan(10)
  })

  it('an expired vCenter session on a guest call logs in again instead of blaming the guest password', async () => {
    const vm = takeLinuxVm()
    await giveRoot(vm)
    await lab.setFaults({ expireSessions: true })
    expect((await h.call('guest.processes.list', { vm })).rows.length).toBeGreaterThan(10)
  })
})

describe('guest processes', () => {
  it('the table lives: short-lived processes appear and end between lists', async () => {
    const vm = takeLinuxVm()
    await giveRoot(vm)
    const first = new Set((await h.call('guest.processes.list', { vm })).rows.map((r) => r[0]))
    let appeared: number | undefined
    const deadline = Date.now() + 10_000
    while (appeared === undefined && Date.now() < deadline) {
      const rows = (await h.call('guest.processes.list', { vm })).rows
      appeared = rows.find((r) => !first.has(r[0]))?.[0]
      if (appeared === undefined) await new Promise((r) => setTimeout(r, 100))
    }
    expect(appeared).toBeDefined()
    const gone = Date.now() + 15_000
    let stillThere = true
    while (stillThere && Date.now() < gone) {
      stillThere = byPid((await h.call('guest.processes.list', { vm })).rows, appeared as number) !== undefined
      if (stillThere) await new Promise((r) => setTimeout(r, 200))
    }
    expect(stillThere).toBe(false)
  }, 30_000)

  it('a refresh with `since` carries only the changes, and they rebuild the same table', async () => {
    const vm = takeLinuxVm()
    await giveRoot(vm)
    const first = await h.call('guest.processes.list', { vm })
    expect(first.full).toBe(true)
    const table = new Map(first.rows.map((r) => [r[0], r]))
    let last = first
    let changes = 0
    const deadline = Date.now() + 10_000
    // The lab starts a short-lived process every 500 ms here: a few lists see some come and go.
    while (changes < 3 && Date.now() < deadline) {
      const next = await h.call('guest.processes.list', { vm, since: last.listId })
      expect(next.full).toBe(false)
      expect(next.rows.length + next.removed.length).toBeLessThan(10)
      for (const pid of next.removed) table.delete(pid)
      for (const r of next.rows) table.set(r[0], r)
      changes += next.rows.length + next.removed.length
      // What the changes rebuilt is the list main holds under that id: same count, no stale rows.
      expect(table.size).toBe(next.total)
      last = next
      if (changes < 3) await new Promise((r) => setTimeout(r, 200))
    }
    expect(changes).toBeGreaterThanOrEqual(3)
    expect((await h.call('guest.processes.list', { vm, since: 'forgotten' })).full).toBe(true)
  }, 20_000)

  it('run a program: pid at once, ours in the list, then finished and exit code from the guest', async () => {
    const vm = takeLinuxVm()
    await giveRoot(vm)
    const { pid } = await h.call('guest.processes.create', { vm, path: '/usr/bin/sleep', arguments: '1', workingDirectory: '/tmp', environment: { LANG: 'C' } })
    const running = byPid((await h.call('guest.processes.list', { vm })).rows, pid)
    expect(running?.slice(0, 4)).toEqual([pid, 'sleep', 'root', '"/usr/bin/sleep" 1'])
    expect(running?.slice(5)).toEqual([1, '', null])
    let ended: ProcessRow | undefined
    const deadline = Date.now() + 5000
    while (!ended && Date.now() < deadline) {
      const row = byPid((await h.call('guest.processes.list', { vm })).rows, pid)
      if (row?.[6]) ended = row
      else await new Promise((r) => setTimeout(r, 100))
    }
    expect(ended?.[7]).toBe(0)
    expect(Date.parse(ended?.[6] ?? '') - Date.parse(ended?.[4] ?? '')).toBeGreaterThanOrEqual(1000)
    expect(await h.call('guest.processes.get', { vm, pid })).toMatchObject({ pid, ours: true, exitCode: 0, finished: ended?.[6] })

    const shell = await h.call('guest.processes.create', { vm, path: '/bin/sh', arguments: '-c "exit 3"' })
    await expect.poll(async () => (await h.call('guest.processes.get', { vm, pid: shell.pid })).exitCode, { timeout: 5000 }).toBe(3)
    // Processes not started from Porthole have no exit code and are not ours.
    expect(await h.call('guest.processes.get', { vm, pid: 1 })).toEqual(expect.objectContaining({ pid: 1, ours: false }))
    expect((await h.call('guest.processes.get', { vm, pid: 1 })).exitCode).toBeUndefined()
  }, 20_000)

  it('a program or working directory that does not exist is NOT_FOUND; so is a pid', async () => {
    const vm = takeLinuxVm()
    await giveRoot(vm)
    expect((await h.fail('guest.processes.create', { vm, path: '/usr/bin/nope' })).code).toBe('NOT_FOUND')
    expect((await h.fail('guest.processes.create', { vm, path: '/usr/bin/sleep', arguments: '1', workingDirectory: '/no/such/dir' })).code).toBe('NOT_FOUND')
    expect((await h.fail('guest.processes.get', { vm, pid: 999_999 })).code).toBe('NOT_FOUND')
    expect((await h.fail('guest.processes.kill', { vm, pid: 999_999 })).code).toBe('NOT_FOUND')
    // Bad input never reaches the guest.
    expect((await h.fail('guest.processes.create', { vm, path: '' })).code).toBe('INVALID_INPUT')
    expect((await h.fail('guest.processes.create', { vm, path: '/bin/true', environment: { 'A=B': 'x' } })).code).toBe('INVALID_INPUT')
  })

  it('kill: ours end with 143 and keep it; pid 1 and other users\' processes are PERMISSION_DENIED', async () => {
    const vm = takeLinuxVm()
    await giveRoot(vm)
    const { pid } = await h.call('guest.processes.create', { vm, path: '/usr/bin/sleep', arguments: '60' })
    expect(await h.call('guest.processes.kill', { vm, pid })).toEqual({ ok: true })
    expect(await h.call('guest.processes.get', { vm, pid })).toMatchObject({ ours: true, exitCode: 143 })
    expect(byPid((await h.call('guest.processes.list', { vm })).rows, pid)?.[7]).toBe(143)
    expect((await h.fail('guest.processes.kill', { vm, pid: 1 })).code).toBe('PERMISSION_DENIED')

    // A steady process disappears once killed.
    const victim = (await h.call('guest.processes.list', { vm })).rows.find((r) => r[0] > 1 && r[0] < 200_000 && r[5] === 0) as ProcessRow
    await h.call('guest.processes.kill', { vm, pid: victim[0] })
    expect(byPid((await h.call('guest.processes.list', { vm })).rows, victim[0])).toBeUndefined()

    // The unprivileged account may not kill root's processes.
    await h.call('guest.credentials.set', { vm, type: 'password', user: 'demo', password: GUEST_PASSWORD, remember: false })
    const roots = (await h.call('guest.processes.list', { vm })).rows.find((r) => r[2] === 'root' && r[0] > 1) as ProcessRow
    expect((await h.fail('guest.processes.kill', { vm, pid: roots[0] })).code).toBe('PERMISSION_DENIED')
  })

  it('maps the guest\'s refusals: Tools not running, Tools unsupported, VM off, VM busy', async () => {
    const vm = takeLinuxVm()
    await giveRoot(vm)
    try {
      await control(`/lab/vms/${vm.id}`, { tools: 'not_running' })
      expect((await h.fail('guest.processes.list', { vm })).code).toBe('TOOLS_NOT_RUNNING')
      expect((await h.fail('guest.processes.get', { vm, pid: 1 })).code).toBe('TOOLS_NOT_RUNNING')
      expect((await h.fail('guest.processes.kill', { vm, pid: 1 })).code).toBe('TOOLS_NOT_RUNNING')
      expect((await h.fail('guest.processes.create', { vm, path: '/bin/true' })).code).toBe('TOOLS_NOT_RUNNING')
      await control(`/lab/vms/${vm.id}`, { tools: 'unsupported' })
      expect((await h.fail('guest.processes.list', { vm })).code).toBe('UNSUPPORTED')
      expect((await h.fail('guest.processes.create', { vm, path: '/bin/true' })).code).toBe('UNSUPPORTED')
      await control(`/lab/vms/${vm.id}`, { tools: null, busy: true })
      const busy = await h.fail('guest.processes.list', { vm })
      expect(busy).toMatchObject({ code: 'CONFLICT', retryable: true })
      await control(`/lab/vms/${vm.id}`, { busy: false, power: 'POWERED_OFF' })
      expect((await h.fail('guest.processes.list', { vm })).code).toBe('VM_STATE')
      expect((await h.fail('guest.processes.get', { vm, pid: 1 })).code).toBe('VM_STATE')
      expect((await h.fail('guest.processes.kill', { vm, pid: 1 })).code).toBe('VM_STATE')
      expect((await h.fail('guest.processes.create', { vm, path: '/bin/true' })).code).toBe('VM_STATE')
      // None of these blamed the credentials.
      expect(await h.call('guest.credentials.status', { vm })).toMatchObject({ known: true })
    } finally {
      await control(`/lab/vms/${vm.id}`, { tools: null, busy: false, power: 'POWERED_ON' })
    }
  })

  it('a VM that is not in the inventory is NOT_FOUND; an unknown connection too', async () => {
    const vm = { connectionId: profile.id, id: 'vm-999999' }
    expect((await h.fail('guest.processes.list', { vm })).code).toBe('NOT_FOUND')
    expect((await h.fail('guest.processes.list', { vm: { connectionId: 'nope', id: 'vm-1000' } })).code).toBe('NOT_FOUND')
  })

  it('a Windows guest: Administrator, pids in steps of 4, kill gives exit code 1', async () => {
    const win = labVms('WINDOWS')[0] as LabVm
    const vm = { connectionId: profile.id, id: win.id }
    await h.call('guest.credentials.set', { vm, type: 'password', user: 'administrator', password: GUEST_PASSWORD, remember: false })
    const rows = (await h.call('guest.processes.list', { vm })).rows
    expect(byPid(rows, 4)?.[1]).toBe('System')
    expect(rows.every((r) => r[0] % 4 === 0)).toBe(true)
    const { pid } = await h.call('guest.processes.create', { vm, path: 'C:\\Windows\\System32\\timeout.exe', arguments: '/t 60' })
    await h.call('guest.processes.kill', { vm, pid })
    expect(await h.call('guest.processes.get', { vm, pid })).toMatchObject({ exitCode: 1, owner: 'LAB\\Administrator' })
  })

  it('a guest with 5,000 processes lists whole', async () => {
    const vm = takeLinuxVm()
    await giveRoot(vm)
    await control(`/lab/vms/${vm.id}`, { processes: 5000 })
    const t0 = performance.now()
    const list = await h.call('guest.processes.list', { vm })
    const ms = performance.now() - t0
    expect(list.rows.length).toBeGreaterThanOrEqual(5000)
    expect(new Set(list.rows.map((r) => r[0])).size).toBe(list.rows.length)
    expect(list.truncated).toBe(false)
    console.log(JSON.stringify({ bench: 'guest.processes.list_5000_via_host', ms: Math.round(ms) }))
  })

  it('deleting the connection\'s profile deletes its remembered guest credentials', async () => {
    const vm = takeLinuxVm()
    await giveRoot(vm, true)
    await h.call('guest.processes.list', { vm })
    const saved = () => h.host.secrets.read('guest.credentials', z.object({ entries: z.record(z.string(), z.unknown()) }))?.entries
    expect(Object.keys(saved() ?? {})).toContain(JSON.stringify([vm.connectionId, vm.id]))
    await h.call('profiles.delete', { id: profile.id })
    expect(saved()).toEqual({})
  })
})
