import { Button } from '../../components/Button'
import { FlaskIcon, PlusIcon } from '../../components/icons'
import { PortholeLogo } from '../../components/Wordmark'
import './home.css'

export interface HomeEmptyStateProps {
  /** Starts the demo lab. Until a feature passes it, the button explains when it arrives. */
  onTryDemo?: (() => void) | undefined
  /** Opens the "add connection" flow. Until a feature passes it, the button explains when it arrives. */
  onAddConnection?: (() => void) | undefined
  /** Why "Try the demo lab" cannot run, when `onTryDemo` is absent. */
  demoUnavailable?: string
  /** Why "Add connection" cannot run, when `onAddConnection` is absent. */
  addUnavailable?: string
}

/** What Home shows while there are no connections: what Porthole is, and the two ways to start. */
export function HomeEmptyState({
  onTryDemo,
  onAddConnection,
  demoUnavailable = 'Arrives with the vCenter lab',
  addUnavailable = 'Arrives with the vault',
}: HomeEmptyStateProps) {
  return (
    <section className="empty-state" aria-labelledby="empty-state-title">
      <PortholeLogo size={64} />
      <h1 id="empty-state-title">Welcome to Porthole</h1>
      <p className="empty-state-lede">
        Porthole opens the consoles of every virtual machine you manage — vCenter, OpenStack, ZStack or plain VNC — side by
        side in tabs, with credentials kept in an encrypted vault on this computer.
      </p>
      <div className="empty-state-actions">
        <Button variant="primary" icon={FlaskIcon} onClick={onTryDemo} unavailable={onTryDemo ? undefined : demoUnavailable} showHint>
          Try the demo lab
        </Button>
        <Button icon={PlusIcon} onClick={onAddConnection} unavailable={onAddConnection ? undefined : addUnavailable} showHint>
          Add connection
        </Button>
      </div>
      <p className="empty-state-footnote">
        The demo lab runs simulated servers on this computer; no account needed. Press <kbd>Ctrl</kbd>+<kbd>/</kbd> for
        keyboard shortcuts.
      </p>
    </section>
  )
}
