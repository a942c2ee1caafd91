import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ProcessRow } from '../../../../contract/guest'
import { mergeChanges, mergeProcesses, rowText } from './process-item'
import { filterProcesses, sortProcesses } from './process-view'

const row = (pid: number, name: string, extra: Partial<{ ours: 0 | 1; finished: string; exit: number | null; started: string }> = {}): ProcessRow => [
  pid,
  name,
  'root',
  `/usr/bin/${name} --flag`,
  extra.started ?? '2026-01-01T00:00:00.000Z',
  extra.ours ?? 0,
  extra.finished ?? '',
  extra.exit ?? null,
]

describe('merging a new process list', () => {
  it('marks nothing on the first list; then new ones "new", gone ones "ended" for one refresh', () => {
    const first = mergeProcesses(new Map(), [row(1, 'init'), row(2, 'sshd')], true)
    expect([...first.values()].map((i) => i.change)).toEqual([undefined, undefined])
    const second = mergeProcesses(first, [row(1, 'init'), row(3, 'cron')], false)
    expect(second.get(1)).toBe(first.get(1))
    expect(second.get(3)?.change).toBe('new')
    expect(second.get(2)).toMatchObject({ change: 'ended', gone: true })
    const third = mergeProcesses(second, [row(1, 'init'), row(3, 'cron')], false)
    expect(third.has(2)).toBe(false)
    expect(third.get(3)?.change).toBeUndefined()
    expect(third.get(1)).toBe(first.get(1))
  })

  it('ours that finished since the last look are "ended" while still listed, with exit code', () => {
    const a = mergeProcesses(new Map(), [row(9, 'sleep', { ours: 1 })], true)
    const b = mergeProcesses(a, [row(9, 'sleep', { ours: 1, finished: '2026-01-01T00:00:05.000Z', exit: 0 })], false)
    expect(b.get(9)).toMatchObject({ change: 'ended', gone: false, exitCode: 0, ours: true })
    expect(rowText(b.get(9)!)).toBe('9\tsleep\troot\t/usr/bin/sleep --flag\t2026-01-01T00:00:00.000Z\t2026-01-01T00:00:05.000Z\t0')
  })

  it('a pid that comes back after it was shown gone is new again', () => {
    const a = mergeProcesses(new Map(), [row(5, 'a')], true)
    const b = mergeProcesses(a, [], false)
    const c = mergeProcesses(b, [row(5, 'b')], false)
    expect(c.get(5)).toMatchObject({ name: 'b', change: 'new', gone: false })
  })
})

describe('sorting and filtering processes', () => {
  const items = [...mergeProcesses(new Map(), [row(30, 'Zeta'), row(4, 'alpha', { ours: 1, exit: 2 }), row(200, 'beta', { ours: 1 })], true).values()]
  it('sorts numbers as numbers, text case-insensitively, empty exit codes last both ways', () => {
    expect(sortProcesses(items, { column: 'pid', descending: false }).map((i) => i.pid)).toEqual([4, 30, 200])
    expect(sortProcesses(items, { column: 'name', descending: true }).map((i) => i.name)).toEqual(['Zeta', 'beta', 'alpha'])
    expect(sortProcesses(items, { column: 'exitCode', descending: false }).map((i) => i.pid)).toEqual([4, 30, 200])
    expect(sortProcesses(items, { column: 'exitCode', descending: true }).map((i) => i.pid)).toEqual([4, 30, 200])
  })
  it('filters on every word over pid, name, owner and command', () => {
    expect(filterProcesses(items, 'ZETA').map((i) => i.pid)).toEqual([30])
    expect(filterProcesses(items, 'root flag 20').map((i) => i.pid)).toEqual([200])
    expect(filterProcesses(items, '  ')).toBe(items)
  })
})

describe('merging only the changes', () => {
  it('gives the same table as merging the whole list, over random sequences of lists', () => {
    // A list: up to 12 of 20 pids, each with one of two names and maybe an end (ours).
    const list = fc.uniqueArray(fc.record({ pid: fc.integer({ min: 1, max: 20 }), name: fc.constantFrom('a', 'b'), end: fc.boolean() }), { selector: (p) => p.pid, maxLength: 12 })
    fc.assert(
      fc.property(fc.array(list, { minLength: 1, maxLength: 6 }), (lists) => {
        const rowsOf = (l: { pid: number; name: string; end: boolean }[]): ProcessRow[] =>
          l.map((p) => row(p.pid, p.name, p.end ? { ours: 1, finished: '2026-01-01T00:00:09.000Z', exit: 0 } : { ours: 1 }))
        let whole = mergeProcesses(new Map(), rowsOf(lists[0]!), true)
        let delta = whole
        let previousRows = rowsOf(lists[0]!)
        for (const l of lists.slice(1)) {
          const rows = rowsOf(l)
          const before = new Map(previousRows.map((r) => [r[0], r]))
          const changed = rows.filter((r) => JSON.stringify(before.get(r[0])) !== JSON.stringify(r))
          const removed = previousRows.filter((r) => !rows.some((n) => n[0] === r[0])).map((r) => r[0])
          whole = mergeProcesses(whole, rows, false)
          delta = mergeChanges(delta, changed, removed)
          expect([...delta.entries()].sort((x, y) => x[0] - y[0])).toEqual([...whole.entries()].sort((x, y) => x[0] - y[0]))
          previousRows = rows
        }
      }),
      { numRuns: 300 },
    )
  })
})
