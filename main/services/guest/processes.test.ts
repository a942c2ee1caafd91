import { describe, expect, it } from 'vitest'
import { PortholeError } from '../../../contract/errors'
import { memoryLog } from '../log/log'
import type { GuestOps, GuestProcess } from '../providers/provider'
import { memorySecretStore } from '../vault/secret-store'
import { createGuestCredentials } from './credentials'
import { createGuestProcesses, EXIT_RETENTION_MS } from './processes'

const vm = { connectionId: 'c', id: 'vm-1' }
const signal = new AbortController().signal

/** A guest whose table the test edits; counts the calls it gets. */
function fakeGuest(clock: { t: number }) {
  const table = new Map<number, GuestProcess>([[1, { pid: 1, name: 'init', owner: 'root', command: '/sbin/init', started: '2026-01-01T00:00:00.000Z' }]])
  const calls: string[] = []
  let nextPid = 100
  const ops: GuestOps = {
    async listProcesses() {
      calls.push('list')
      return [...table.values()].map(({ finished: _f, exitCode: _e, ...p }) => p)
    },
    async getProcess(_vm, _c, pid) {
      calls.push(`get ${pid}`)
      const p = table.get(pid)
      if (!p) throw new PortholeError('NOT_FOUND', 'gone')
      return p
    },
    async createProcess(_vm, c, spec) {
      if (c.password !== 'pw') throw new PortholeError('GUEST_AUTH_FAILED', 'refused')
      const pid = nextPid++
      table.set(pid, { pid, name: spec.path, owner: c.username, command: spec.path, started: new Date(clock.t).toISOString() })
      return pid
    },
    async killProcess(_vm, _c, pid) {
      table.delete(pid)
    },
    async listFiles() {
      throw new Error('not used')
    },
  }
  return { ops, table, calls }
}

function setup(kind: 'vsphere' | 'vnc' = 'vsphere') {
  const clock = { t: Date.parse('2026-01-01T10:00:00.000Z') }
  const guest = fakeGuest(clock)
  const credentials = createGuestCredentials({ store: memorySecretStore(), log: memoryLog() })
  const service = createGuestProcesses({
    providerFor: () => (kind === 'vsphere' ? { kind, guest: guest.ops } : { kind }),
    credentials,
    log: memoryLog(),
    now: () => clock.t,
  })
  return { clock, guest, credentials, service }
}

describe('guest processes service', () => {
  it('lists as compact rows; ours get their exit code from get, others never cost a get', async () => {
    const { clock, guest, credentials, service } = setup()
    await credentials.set({ vm, type: 'password', user: 'root', password: 'pw', remember: false })
    const { pid } = await service.create({ vm, path: '/bin/sleep', arguments: '5' }, signal)
    let list = await service.list(vm, undefined, signal)
    expect(list.user).toBe('root')
    expect(list.rows.find((r) => r[0] === 1)).toEqual([1, 'init', 'root', '/sbin/init', '2026-01-01T00:00:00.000Z', 0, '', null])
    expect(list.rows.find((r) => r[0] === pid)?.slice(5)).toEqual([1, '', null])
    expect(guest.calls).toEqual(['list', `get ${pid}`])

    // It ends: the next list shows when and how; once known, no more gets for it.
    clock.t += 5000
    guest.table.set(pid, { ...(guest.table.get(pid) as GuestProcess), finished: new Date(clock.t).toISOString(), exitCode: 3 })
    list = await service.list(vm, undefined, signal)
    expect(list.rows.find((r) => r[0] === pid)?.slice(5)).toEqual([1, new Date(clock.t).toISOString(), 3])
    guest.calls.length = 0
    await service.list(vm, undefined, signal)
    expect(guest.calls).toEqual(['list'])
  })

  it('with `since`, answers only what changed since that list; an unknown list gets everything', async () => {
    const { guest, credentials, service } = setup()
    await credentials.set({ vm, type: 'password', user: 'root', password: 'pw', remember: false })
    guest.table.set(7, { pid: 7, name: 'cron', owner: 'root', command: 'cron', started: '2026-01-01T00:00:01.000Z' })
    const first = await service.list(vm, undefined, signal)
    expect(first).toMatchObject({ full: true, total: 2, removed: [] })
    expect(first.rows).toHaveLength(2)

    guest.table.delete(7)
    guest.table.set(8, { pid: 8, name: 'sshd', owner: 'root', command: 'sshd', started: '2026-01-01T00:00:02.000Z' })
    const second = await service.list(vm, first.listId, signal)
    expect(second).toMatchObject({ full: false, total: 2, removed: [7] })
    expect(second.rows.map((r) => r[0])).toEqual([8])

    // Unchanged since: nothing to send. An older list still known: the changes since it.
    const third = await service.list(vm, second.listId, signal)
    expect(third).toMatchObject({ full: false, rows: [], removed: [] })
    expect((await service.list(vm, first.listId, signal)).rows.map((r) => r[0])).toEqual([8])
    expect(await service.list(vm, 'no-such-list', signal)).toMatchObject({ full: true, total: 2 })
  })

  it('a reused pid with an older start is not ours', async () => {
    const { guest, credentials, service } = setup()
    await credentials.set({ vm, type: 'password', user: 'root', password: 'pw', remember: false })
    const { pid } = await service.create({ vm, path: '/bin/true' }, signal)
    guest.table.set(pid, { pid, name: 'other', owner: 'root', command: 'other', started: '2025-01-01T00:00:00.000Z' })
    expect((await service.list(vm, undefined, signal)).rows.find((r) => r[0] === pid)?.[5]).toBe(0)
  })

  it('forgets ours 5 minutes after they ended and left the list', async () => {
    const { clock, guest, credentials, service } = setup()
    await credentials.set({ vm, type: 'password', user: 'root', password: 'pw', remember: false })
    const { pid } = await service.create({ vm, path: '/bin/true' }, signal)
    guest.table.set(pid, { ...(guest.table.get(pid) as GuestProcess), finished: new Date(clock.t).toISOString(), exitCode: 0 })
    await service.list(vm, undefined, signal)
    guest.table.delete(pid)
    clock.t += EXIT_RETENTION_MS + 1
    await service.list(vm, undefined, signal)
    // Same pid handed out again later: a new process, not the old one's exit code.
    guest.table.set(pid, { pid, name: 'new', owner: 'root', command: 'new', started: new Date(clock.t).toISOString() })
    expect((await service.list(vm, undefined, signal)).rows.find((r) => r[0] === pid)?.slice(5)).toEqual([0, '', null])
  })

  it('refused credentials surface as GUEST_AUTH_FAILED rejected; connections without guest ops are UNSUPPORTED', async () => {
    const { credentials, service } = setup()
    await credentials.set({ vm, type: 'password', user: 'root', password: 'wrong', remember: false })
    await expect(service.create({ vm, path: '/bin/true' }, signal)).rejects.toMatchObject({ code: 'GUEST_AUTH_FAILED', detail: { reason: 'rejected' } })
    await expect(service.list(vm, undefined, signal)).rejects.toMatchObject({ code: 'GUEST_AUTH_FAILED', detail: { reason: 'missing' } })
    await expect(setup('vnc').service.list(vm, undefined, signal)).rejects.toMatchObject({ code: 'UNSUPPORTED' })
  })

  it('get marks ours and kill reaches the guest', async () => {
    const { guest, credentials, service } = setup()
    await credentials.set({ vm, type: 'password', user: 'root', password: 'pw', remember: false })
    const { pid } = await service.create({ vm, path: '/bin/sleep', arguments: '60' }, signal)
    expect(await service.get(vm, pid, signal)).toMatchObject({ pid, ours: true })
    expect(await service.get(vm, 1, signal)).toMatchObject({ pid: 1, ours: false })
    await service.kill(vm, pid, signal)
    expect(guest.table.has(pid)).toBe(false)
  })
})
