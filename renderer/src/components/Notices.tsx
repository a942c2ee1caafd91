import { useNotify } from '../store/notify'
import { AlertIcon, CloseIcon, InfoIcon } from './icons'

/** Errors and notes from the host, stacked in a corner; they never block the window. */
export function Notices() {
  const notices = useNotify((s) => s.notices)
  const dismiss = useNotify((s) => s.dismiss)
  return (
    <section className="notices" aria-label="Notifications" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} data-testid="notice">
          <span className="notice-icon">{n.kind === 'error' ? <AlertIcon /> : <InfoIcon />}</span>
          <div className="notice-body">
            <p className="notice-message">{n.message}</p>
            {(n.code || n.count > 1) && (
              <p className="notice-meta">
                {n.code && <code className="notice-code">{n.code}</code>}
                {n.count > 1 && <span className="notice-count">{n.count} times</span>}
              </p>
            )}
          </div>
          <button type="button" className="icon-button notice-dismiss" aria-label="Dismiss notification" title="Dismiss" onClick={() => dismiss(n.id)}>
            <CloseIcon size={14} />
          </button>
        </div>
      ))}
    </section>
  )
}
