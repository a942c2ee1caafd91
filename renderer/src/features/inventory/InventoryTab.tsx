import { useCallback, useEffect, useMemo, type KeyboardEvent } from 'react'
import type { ConnectionState } from '../../../../contract/inventory'
import type { TabViewProps } from '../../app/tab-views'
import { Button } from '../../components/Button'
import { FlaskIcon } from '../../components/icons'
import { startDemo } from '../demo/start-demo'
import { ConfirmPowerDialog } from './ConfirmPowerDialog'
import { ConnectionBanners, ConnectionRetry } from './ConnectionBanners'
import { InventoryToolbar } from './InventoryToolbar'
import { useInventory } from './store'
import { selectedItems, useInventoryUi } from './ui-store'
import { useVmView } from './use-vm-view'
import { VmContextMenu } from './VmContextMenu'
import { VmTable } from './VmTable'
import './inventory.css'

export { ServerIcon } from './inventory-icons'

function Panel({ title, children, busy = false, tone = 'plain' }: { title: string; children?: React.ReactNode; busy?: boolean; tone?: 'plain' | 'error' }) {
  return (
    <div className={`inventory-panel inventory-panel-${tone}`} aria-busy={busy || undefined} role={tone === 'error' ? 'alert' : 'status'}>
      {busy && <span className="inventory-spinner" aria-hidden="true" />}
      <h2>{title}</h2>
      {children}
    </div>
  )
}

/** What the tab shows instead of the table: no connections, connecting, every connection failed, nothing listed. */
function StatePanel({ connections, total }: { connections: readonly ConnectionState[]; total: number }) {
  if (connections.length === 0) {
    return (
      <Panel title="No connections yet">
        <p>Add a vCenter, OpenStack, ZStack or VNC connection from the sidebar, or try the demo lab: simulated servers on this computer, no account needed.</p>
        <Button variant="primary" icon={FlaskIcon} onClick={() => void startDemo()}>
          Try the demo lab
        </Button>
      </Panel>
    )
  }
  const connecting = connections.filter((c) => c.phase === 'connecting' || c.loading)
  if (total === 0 && connecting.length > 0) {
    return (
      <Panel title={`Connecting to ${connecting.map((c) => c.name).join(', ')}…`} busy>
        <p>VMs appear here as the server lists them.</p>
      </Panel>
    )
  }
  const failed = connections.filter((c) => c.phase === 'error')
  if (total === 0 && failed.length === connections.length) {
    return (
      <Panel title={failed.length === 1 ? `Could not connect to ${failed[0]?.name ?? ''}` : 'No connection could be opened'} tone="error">
        <ul className="inventory-failures">
          {failed.map((c) => (
            <li key={c.connectionId}>
              <strong>{c.name}</strong>: {c.error?.message} <span className="connection-banner-meta">{c.error?.code}</span>{' '}
              <ConnectionRetry state={c} />
            </li>
          ))}
        </ul>
      </Panel>
    )
  }
  return <Panel title="No VMs">The connected servers list no virtual machines.</Panel>
}

/** The VMs tab: every VM of every connection in one fast table. */
export function InventoryTab({ active }: TabViewProps<'inventory'>) {
  useEffect(() => useInventory.getState().start(), [])
  const view = useVmView()
  const connectionMap = useInventory((s) => s.connections)
  const query = useInventory((s) => s.query)
  const total = useInventory((s) => s.items.size)
  useInventory((s) => s.rev)
  const selectedKeys = useInventory((s) => s.selected)
  const connections = useMemo(() => [...connectionMap.values()].sort((a, b) => a.name.localeCompare(b.name)), [connectionMap])
  const names = useMemo(() => new Map(connections.map((c) => [c.connectionId, c.name])), [connections])
  const stale = useMemo(() => new Set(connections.filter((c) => c.staleSince !== undefined).map((c) => c.connectionId)), [connections])
  const selection = useMemo(() => selectedItems(view), [view, selectedKeys])
  const showHost = useMemo(() => view.some((i) => i.host !== ''), [view])
  // From the connections, not the rows: no pass over 50,000 VMs per keystroke.
  const wideStatus = useMemo(() => connections.some((c) => c.provider === 'openstack'), [connections])
  const closeMenu = useCallback(() => useInventoryUi.setState({ menu: null }), [])
  const openMenu = useCallback((x: number, y: number) => useInventoryUi.setState({ menu: { x, y } }), [])

  // `/` focuses the filter from anywhere in the tab except a text field.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const target = e.target as HTMLElement
    if (e.key === '/' && !e.ctrlKey && !e.altKey && !(target instanceof HTMLInputElement)) {
      e.preventDefault()
      useInventoryUi.setState((s) => ({ focusFilter: s.focusFilter + 1 }))
    }
  }

  return (
    <div className="inventory" onKeyDown={onKeyDown} data-active={active}>
      <InventoryToolbar view={view} selection={selection} total={total} />
      <ConnectionBanners connections={connections} />
      {total === 0 ? (
        <StatePanel connections={connections} total={total} />
      ) : view.length === 0 ? (
        <Panel title={`No VM matches “${query}”`}>
          <p>The filter looks at names, IP addresses, guest operating systems and statuses.</p>
          <Button onClick={() => useInventory.getState().setQuery('')}>Clear the filter</Button>
        </Panel>
      ) : (
        <VmTable view={view} connectionNames={names} showHost={showHost} wideStatus={wideStatus} active={active} stale={stale} onContextMenu={openMenu} />
      )}
      <VmContextMenu selection={selection} onClose={closeMenu} />
      <ConfirmPowerDialog />
    </div>
  )
}
