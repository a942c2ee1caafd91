import { openInventoryTab } from './open-vm'
import { QuickSwitcher } from './QuickSwitcher'
import { useInventory } from './store'
import { counted } from '../../app/counted'

/** The status bar's inventory line (VMs, connections failing) — and the home of the Ctrl+K switcher, which the status bar keeps mounted. */
export function InventoryStatusItem() {
  const total = useInventory((s) => s.items.size)
  useInventory((s) => s.rev)
  const connections = useInventory((s) => s.connections)
  const failing = [...connections.values()].filter((c) => c.phase === 'error').length
  const loading = [...connections.values()].some((c) => c.loading)
  return (
    <>
      {connections.size > 0 && (
        <button type="button" className={`status-item status-link${failing > 0 ? ' status-item-danger' : ''}`} onClick={openInventoryTab}>
          {counted(total, 'VM')}{loading ? ' (loading)' : ''}
          {failing > 0 && ` · ${failing} connection${failing === 1 ? '' : 's'} failing`}
        </button>
      )}
      <QuickSwitcher />
    </>
  )
}
