// The table's view of a guest's processes: sorted by a column, then filtered by the search box
// (which keeps the order). 5,000 rows sort in a few milliseconds; keys are computed once per sort.
import type { ProcessItem } from './process-item'

export type ProcessColumn = 'pid' | 'name' | 'owner' | 'command' | 'started' | 'finished' | 'exitCode'

export interface ProcessSort {
  column: ProcessColumn
  descending: boolean
}

const LAST = '\uffff'

function keyFor(column: ProcessColumn): (item: ProcessItem) => string | number {
  switch (column) {
    case 'pid':
      return (i) => i.pid
    case 'exitCode':
      // Empty (running, or not ours) last whichever way.
      return (i) => (i.exitCode === null ? Number.POSITIVE_INFINITY : i.exitCode)
    case 'started':
    case 'finished':
      // ISO 8601 in UTC sorts as text.
      return (i) => i[column] || LAST
    default:
      return (i) => i[column].toLowerCase() || LAST
  }
}

/** The items in the given order; ties by pid, so the order is stable across refreshes. */
export function sortProcesses(items: Iterable<ProcessItem>, order: ProcessSort): ProcessItem[] {
  const key = keyFor(order.column)
  const rows = Array.from(items, (item) => ({ item, k: key(item) }))
  const dir = order.descending ? -1 : 1
  rows.sort((a, b) => {
    if (a.k !== b.k) {
      if (a.k === LAST || a.k === Number.POSITIVE_INFINITY) return 1
      if (b.k === LAST || b.k === Number.POSITIVE_INFINITY) return -1
      return a.k < b.k ? -dir : dir
    }
    return a.item.pid - b.item.pid
  })
  return rows.map((r) => r.item)
}

/** Rows whose pid, name, owner or command contain every word of the query (case-insensitive). */
export function filterProcesses(items: readonly ProcessItem[], query: string): readonly ProcessItem[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return items
  return items.filter((i) => words.every((w) => i.search.includes(w)))
}
