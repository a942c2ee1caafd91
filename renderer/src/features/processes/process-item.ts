// One guest process as the viewer holds it, built from a wire row, and the merge of a new list
// into the previous one: processes that appeared since the last refresh are marked 'new', those
// that went away stay one refresh longer marked 'ended' (as do ours that just finished), and an
// unchanged process keeps its object, so memoized rows do not re-render.
import type { ProcessRow } from '../../../../contract/guest'

export type ProcessChange = 'new' | 'ended' | undefined

export interface ProcessItem {
  readonly pid: number
  readonly name: string
  readonly owner: string
  readonly command: string
  /** ISO 8601 as the guest gave it ('' unknown). */
  readonly started: string
  /** Started from Porthole. */
  readonly ours: boolean
  /** ISO 8601 ('' while running or not ours). */
  readonly finished: string
  readonly exitCode: number | null
  /** Since the last refresh. */
  readonly change: ProcessChange
  /** No longer in the guest's list (shown one refresh, then dropped). */
  readonly gone: boolean
  /** Lower-case pid, name, owner and command: what the filter matches. */
  readonly search: string
}

export function itemOf(row: ProcessRow, change: ProcessChange): ProcessItem {
  const [pid, name, owner, command, started, ours, finished, exitCode] = row
  return {
    pid,
    name,
    owner,
    command,
    started,
    ours: ours === 1,
    finished,
    exitCode,
    change,
    gone: false,
    search: `${pid}\u0001${name}\u0001${owner}\u0001${command}`.toLowerCase(),
  }
}

function same(item: ProcessItem, row: ProcessRow): boolean {
  return (
    item.name === row[1] &&
    item.owner === row[2] &&
    item.command === row[3] &&
    item.started === row[4] &&
    item.ours === (row[5] === 1) &&
    item.finished === row[6] &&
    item.exitCode === row[7]
  )
}

/**
 * The new list merged into the previous one. `first` (the first list of a tab) marks nothing new.
 * Items the previous refresh already showed as gone are dropped now.
 */
export function mergeProcesses(previous: ReadonlyMap<number, ProcessItem>, rows: readonly ProcessRow[], first: boolean): Map<number, ProcessItem> {
  const next = new Map<number, ProcessItem>()
  for (const row of rows) {
    const pid = row[0]
    const before = previous.get(pid)
    if (!before || before.gone) {
      next.set(pid, itemOf(row, first ? undefined : 'new'))
      continue
    }
    // Ours that finished since the last look are "ended" although still listed (exit code kept 5 minutes).
    const change: ProcessChange = before.finished === '' && row[6] !== '' ? 'ended' : undefined
    next.set(pid, change === undefined && before.change === undefined && same(before, row) ? before : itemOf(row, change))
  }
  for (const [pid, item] of previous) {
    if (!next.has(pid) && !item.gone) next.set(pid, { ...item, change: 'ended', gone: true })
  }
  return next
}

/**
 * The same as mergeProcesses, from only the rows added or changed since the previous list and
 * the pids that went away (what main sends when it still has that list).
 */
export function mergeChanges(previous: ReadonlyMap<number, ProcessItem>, changed: readonly ProcessRow[], removed: readonly number[]): Map<number, ProcessItem> {
  const gone = new Set(removed)
  const fresh = new Map<number, ProcessRow>()
  for (const row of changed) fresh.set(row[0], row)
  const next = new Map<number, ProcessItem>()
  for (const [pid, item] of previous) {
    if (item.gone) continue
    const row = fresh.get(pid)
    if (row) {
      const change: ProcessChange = item.finished === '' && row[6] !== '' ? 'ended' : undefined
      next.set(pid, change === undefined && item.change === undefined && same(item, row) ? item : itemOf(row, change))
    } else if (gone.has(pid)) next.set(pid, { ...item, change: 'ended', gone: true })
    else next.set(pid, item.change === undefined ? item : { ...item, change: undefined })
  }
  for (const row of changed) {
    const before = previous.get(row[0])
    if (!before || before.gone) next.set(row[0], itemOf(row, 'new'))
  }
  return next
}

/** Tab-separated, one line: what "Copy" puts on the clipboard. */
export function rowText(item: ProcessItem): string {
  const cells = [String(item.pid), item.name, item.owner, item.command, item.started]
  if (item.ours) cells.push(item.finished, item.exitCode === null ? '' : String(item.exitCode))
  return cells.join('\t')
}
