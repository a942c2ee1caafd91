// The table's view of the rows: sorted once per change of rows or sort order, then filtered
// (which keeps the order) once per keystroke. Both are memoized on their inputs, so a
// keystroke over 50,000 VMs costs one pass of `includes`, never a sort.
import { searchOf, statusMatcher, type VmItem } from './vm-item'
import type { VmItems } from './vm-items'

export type SortColumn = 'name' | 'power' | 'status' | 'guestOs' | 'ip' | 'host' | 'group' | 'provider'
export interface SortOrder {
  column: SortColumn
  descending: boolean
}

const POWER_RANK: Record<VmItem['power'], number> = { on: 0, suspended: 1, off: 2, unknown: 3 }

/** Dotted quads compare by number (10.0.0.9 before 10.0.0.10); anything else as text. */
function ipKey(ip: string): string {
  const parts = ip.split('.')
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p))) return ip === '' ? '\uffff' : `~${ip}`
  return parts.map((p) => p.padStart(3, '0')).join('.')
}

function keyFor(column: SortColumn): (item: VmItem) => string {
  switch (column) {
    case 'name':
      return (i) => i.lname
    case 'power':
      return (i) => String(POWER_RANK[i.power])
    case 'ip':
      return (i) => ipKey(i.ip)
    case 'provider':
      // The connection column: rows of one connection together.
      return (i) => i.connectionId
    // Empty cells (not loaded yet) go last whichever way the column is sorted.
    default:
      return (i) => i[column].toLowerCase() || '\uffff'
  }
}

const byName = (a: VmItem, b: VmItem): number => (a.lname < b.lname ? -1 : a.lname > b.lname ? 1 : a.key < b.key ? -1 : 1)

/** The items in the given order; ties by name, then by key, so the order is stable across refreshes. */
export function sortItems(items: Iterable<VmItem>, order: SortOrder): VmItem[] {
  if (order.column === 'name') {
    // The common case, without a key per row: the lower-case name is kept on the item.
    const sorted = Array.from(items).sort(byName)
    return order.descending ? sorted.reverse() : sorted
  }
  const key = keyFor(order.column)
  const rows = Array.from(items, (item) => ({ item, k: key(item), n: item.lname }))
  const dir = order.descending ? -1 : 1
  rows.sort((a, b) => {
    if (a.k !== b.k) {
      if (a.k === '\uffff') return 1
      if (b.k === '\uffff') return -1
      return a.k < b.k ? -dir : dir
    }
    if (a.n !== b.n) return a.n < b.n ? -1 : 1
    return a.item.key < b.item.key ? -1 : 1
  })
  return rows.map((r) => r.item)
}

/** The comparator of an order (for merging new rows into a sorted view). */
export function comparatorFor(order: SortOrder): (a: VmItem, b: VmItem) => number {
  if (order.column === 'name') return order.descending ? (a, b) => byName(b, a) : byName
  const key = keyFor(order.column)
  const dir = order.descending ? -1 : 1
  return (a, b) => {
    const ka = key(a)
    const kb = key(b)
    if (ka !== kb) {
      if (ka === '\uffff') return 1
      if (kb === '\uffff') return -1
      return ka < kb ? -dir : dir
    }
    return byName(a, b)
  }
}

/** `sorted` with `added` merged in, in order: O(n + k log k) instead of sorting everything again. */
export function mergeSorted(sorted: readonly VmItem[], added: VmItem[], order: SortOrder): VmItem[] {
  const compare = comparatorFor(order)
  added.sort(compare)
  const out: VmItem[] = new Array<VmItem>(sorted.length + added.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < sorted.length && j < added.length) {
    out[k++] = compare(sorted[i] as VmItem, added[j] as VmItem) <= 0 ? (sorted[i++] as VmItem) : (added[j++] as VmItem)
  }
  while (i < sorted.length) out[k++] = sorted[i++] as VmItem
  while (j < added.length) out[k++] = added[j++] as VmItem
  return out
}

/**
 * The sorted view of the items while a connection lists: when only VMs were added since the last
 * call (no removal, same order), the new ones are the last in `items.values()` (the order
 * added), so they are sorted alone and merged in.
 */
export function createSortedView(): (items: VmItems, version: number, removals: number, order: SortOrder) => readonly VmItem[] {
  let last: { items: VmItems; version: number; removals: number; order: SortOrder; sorted: readonly VmItem[] } | undefined
  return (items, version, removals, order) => {
    if (last && last.items === items && last.version === version && last.order === order) return last.sorted
    let sorted: readonly VmItem[]
    const all = items.values()
    if (last && last.items === items && last.removals === removals && last.order === order && all.length >= last.sorted.length) {
      const added = all.slice(last.sorted.length)
      sorted = added.length === 0 ? last.sorted : mergeSorted(last.sorted, added, order)
    } else sorted = sortItems(all, order)
    last = { items, version, removals, order, sorted }
    return sorted
  }
}

/** The filter box's words, each of which must appear in the name, IP, guest OS or provider status. */
export function queryWords(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean)
}

/** The sorted items whose name, IP, guest OS or status contain every word of the query (order kept). */
export function filterItems(sorted: readonly VmItem[], query: string): readonly VmItem[] {
  const words = queryWords(query)
  if (words.length === 0) return sorted
  if (words.length === 1) {
    const w = words[0] as string
    // A word no status contains (a name, an address) is looked for in `search` alone.
    const inStatus = statusMatcher(w)
    if (!inStatus) return sorted.filter((i) => searchOf(i).includes(w))
    return sorted.filter((i) => searchOf(i).includes(w) || inStatus(i.status))
  }
  const inStatus = words.map(statusMatcher)
  return sorted.filter((i) => words.every((w, k) => searchOf(i).includes(w) || inStatus[k]?.(i.status) === true))
}

/** Recent queries kept per sorted view: typing on narrows a cached result, Backspace finds one. */
const FILTER_CACHE = 24

/**
 * `filterItems` with a cache for one sorted view and one state of the VMs: a query is answered
 * from the cache, or by narrowing the result of the longest cached query it extends (every word
 * of "web pro" is part of a word of "web prod", so its matches are a subset), or from scratch.
 */
export function createFilterView(): (sorted: readonly VmItem[], query: string, searchRev: number) => readonly VmItem[] {
  let source: readonly VmItem[] | undefined
  let rev = -1
  const cache = new Map<string, readonly VmItem[]>()
  return (sorted, query, searchRev) => {
    if (sorted !== source || searchRev !== rev) {
      source = sorted
      rev = searchRev
      cache.clear()
    }
    const key = query.toLowerCase()
    const hit = cache.get(key)
    if (hit) {
      // Most recent last, so the oldest goes first when the cache is full.
      cache.delete(key)
      cache.set(key, hit)
      return hit
    }
    let base: readonly VmItem[] = sorted
    let baseLength = -1
    for (const [q, result] of cache) {
      if (q.length > baseLength && key.startsWith(q) && queryWords(q).length > 0) {
        base = result
        baseLength = q.length
      }
    }
    const result = filterItems(base, key)
    cache.set(key, result)
    if (cache.size > FILTER_CACHE) cache.delete(cache.keys().next().value as string)
    return result
  }
}

/** Memoizes a one-argument-list function on the identity of its arguments (the last call only). */
export function memoLast<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let lastArgs: A | undefined
  let last: R | undefined
  return (...args: A): R => {
    if (lastArgs && args.length === lastArgs.length && args.every((a, i) => Object.is(a, (lastArgs as A)[i]))) return last as R
    lastArgs = args
    last = fn(...args)
    return last
  }
}
