import type { ConnectionState } from '../../../../contract/inventory'
import { AlertIcon } from '../../components/icons'
import { useInventory } from './store'

function since(iso: string | undefined): string {
  if (!iso) return ''
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}

/** Retry, or — for a certificate that is not trusted yet — show it and ask (the TLS prompt). */
export function ConnectionRetry({ state, compact = false }: { state: ConnectionState; compact?: boolean }) {
  const untrusted = state.error?.code === 'TLS_UNTRUSTED'
  const label = untrusted ? 'Trust certificate…' : 'Retry'
  return (
    <button
      type="button"
      className={compact ? 'link-button' : 'button button-secondary'}
      aria-label={compact ? `${label} (${state.name})` : undefined}
      onClick={() => void useInventory.getState().connect(state.connectionId, { prompt: true })}
    >
      <span>{label}</span>
    </button>
  )
}

/** One line per failing connection above the table: what failed, since when its rows are stale, and the way out. */
export function ConnectionBanners({ connections }: { connections: readonly ConnectionState[] }) {
  const failing = connections.filter((c) => c.phase === 'error')
  if (failing.length === 0) return null
  return (
    <div className="connection-banners">
      {failing.map((c) => (
        <div key={c.connectionId} className="connection-banner" role="alert">
          <AlertIcon />
          <div className="connection-banner-text">
            <strong>{c.name}</strong>: {c.error?.message ?? 'The connection failed.'}{' '}
            <span className="connection-banner-meta">
              {c.error?.code}
              {c.staleSince ? ` · showing its VMs as of ${since(c.staleSince)}` : ''}
            </span>
          </div>
          <ConnectionRetry state={c} />
        </div>
      ))}
    </div>
  )
}
