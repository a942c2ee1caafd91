import { useEffect, useMemo } from 'react'
import type { ConnectionState } from '../../../../contract/inventory'
import { ConnectionRetry } from './ConnectionBanners'
import { RefreshIcon, ServerIcon } from './inventory-icons'
import { openInventoryTab } from './open-vm'
import { useInventory } from './store'
import { counted } from '../../app/counted'

const PHASE_LABEL: Record<ConnectionState['phase'], string> = { idle: 'Not connected', connecting: 'Connecting', ready: 'Connected', error: 'Failed' }

/** A failure in two words for the narrow sidebar; the full message is in the tooltip and the VMs tab. */
const ERROR_WORDS: Record<string, string> = {
  TLS_UNTRUSTED: 'Certificate not trusted',
  PROVIDER_UNAVAILABLE: 'Unreachable',
  AUTH_FAILED: 'Sign-in refused',
  TIMEOUT: 'Timed out',
  UNSUPPORTED: 'Not supported yet',
  VAULT_LOCKED: 'Vault locked',
}

function statusText(c: ConnectionState, count: number): string {
  if (c.phase === 'error') return ERROR_WORDS[c.error?.code ?? ''] ?? 'Failed'
  if (c.phase === 'connecting' || c.loading) return count > 0 ? `Loading… ${counted(count, 'VM')}` : 'Connecting…'
  return counted(count, 'VM')
}

/**
 * The sidebar's "Inventory" section: each open connection with a status dot, its VM count or
 * error, and Retry / Trust; "All VMs" opens the VMs tab. (The Connections section above lists
 * the saved profiles; this one lists what is connected.)
 */
export function InventorySection() {
  useEffect(() => useInventory.getState().start(), [])
  const connectionMap = useInventory((s) => s.connections)
  const counts = useInventory((s) => s.counts)
  const connections = useMemo(() => [...connectionMap.values()].sort((a, b) => a.name.localeCompare(b.name)), [connectionMap])
  if (connections.length === 0) {
    // One quiet line: the Connections section above already explains how to start.
    return <p className="inventory-none">Nothing connected yet.</p>
  }
  return (
    <ul className="sidebar-list inventory-connections" aria-label="Connected inventories">
      <li>
        <button type="button" className="inventory-conn inventory-all" onClick={openInventoryTab}>
          <ServerIcon />
          <span className="inventory-conn-name">All VMs</span>
          <span className="inventory-conn-status">{[...counts.values()].reduce((a, b) => a + b, 0).toLocaleString()}</span>
        </button>
      </li>
      {connections.map((c) => {
        const count = counts.get(c.connectionId) ?? 0
        return (
          <li key={c.connectionId} className="inventory-conn-row" data-phase={c.phase}>
            <button type="button" className="inventory-conn" onClick={openInventoryTab} title={c.error?.message ?? PHASE_LABEL[c.phase]}>
              <span className={`status-dot conn-dot conn-${c.loading && c.phase !== 'error' ? 'loading' : c.phase}`} aria-hidden="true" />
              <span className="inventory-conn-name">{c.name}</span>
              <span className="visually-hidden">{PHASE_LABEL[c.phase]}: </span>
              <span className="inventory-conn-status" data-testid="conn-status">
                {statusText(c, count)}
              </span>
            </button>
            {c.phase === 'error' ? (
              <ConnectionRetry state={c} compact />
            ) : (
              <button
                type="button"
                className="icon-button"
                aria-label={`Refresh ${c.name}`}
                title={`Refresh ${c.name}`}
                onClick={() => void useInventory.getState().refresh(c.connectionId)}
              >
                <RefreshIcon />
              </button>
            )}
          </li>
        )
      })}
    </ul>
  )
}
