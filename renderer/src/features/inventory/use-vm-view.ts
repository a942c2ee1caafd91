import { useInventory } from './store'
import type { VmItem } from './vm-item'
import { filterItems, memoLast, sortItems, type SortOrder } from './vm-view'

// One table: module-level memos keep the last sort and the last filter.
const sortedView = memoLast((items: Map<string, VmItem>, _version: number, sort: SortOrder) => sortItems(items.values(), sort))
const filteredView = memoLast((sorted: readonly VmItem[], query: string) => filterItems(sorted, query))

/** The rows the table shows: sorted when rows or order change, filtered when the query changes. */
export function useVmView(): readonly VmItem[] {
  const items = useInventory((s) => s.items)
  const version = useInventory((s) => s.version)
  const sort = useInventory((s) => s.sort)
  const query = useInventory((s) => s.query)
  return filteredView(sortedView(items, version, sort), query)
}
