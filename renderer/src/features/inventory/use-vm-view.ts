import { useInventory } from './store'
import type { VmItem } from './vm-item'
import { createFilterView, createSortedView } from './vm-view'

// One table: module-level memos keep the last sort and recent filters. The sort runs again only
// when VMs come or go (`version`) or the order changes; items are updated in place, so a new
// IP or power state shows without sorting 50,000 rows again (the row keeps its place until then).
// While a connection lists, new rows are merged into the sorted view rather than sorted again.
const sortedView = createSortedView()
// The filter runs again when a name, IP, guest OS or status changed (`searchRev`): a guest OS that just arrived may match now.
const filteredView = createFilterView()

/** The rows the table shows: sorted when VMs or the order change, filtered when the query or what it matches changes. */
export function useVmView(): readonly VmItem[] {
  const items = useInventory((s) => s.items)
  const version = useInventory((s) => s.version)
  const removals = useInventory((s) => s.removals)
  const searchRev = useInventory((s) => s.searchRev)
  const sort = useInventory((s) => s.sort)
  const query = useInventory((s) => s.query)
  return filteredView(sortedView(items, version, removals, sort), query, searchRev)
}
