import { useHost } from '../store/host'

const TRANSPORT_NAMES = { ipc: 'Electron IPC', websocket: 'loopback WebSocket' } as const

/** The status bar's first item: which transport carries the contract, and the host's version. */
export function HostStatus() {
  const info = useHost((s) => s.info)
  const connected = useHost((s) => s.connected)
  if (!connected) {
    return (
      <span className="status-item status-item-danger" role="status">
        <span className="status-dot status-dot-lost" aria-hidden="true" />
        <span data-testid="transport">Disconnected</span>
      </span>
    )
  }
  if (!info) {
    return (
      <span className="status-item" role="status">
        <span className="status-dot status-dot-pending" aria-hidden="true" />
        Connecting…
      </span>
    )
  }
  return (
    <>
      <span className="status-item" role="status" title={`Connected to the Porthole host over ${TRANSPORT_NAMES[info.transport]}`}>
        <span className="status-dot status-dot-ok" aria-hidden="true" />
        <span className="visually-hidden">Connected via </span>
        <span data-testid="transport">{info.transport}</span>
      </span>
      <span className="status-item status-item-muted" data-testid="version">
        {info.name} {info.version}
      </span>
    </>
  )
}
