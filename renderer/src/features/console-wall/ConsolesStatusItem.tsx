import { useConsoles } from '../consoles/store'
import { openConsoleWall } from './ConsoleWall'

/** The status bar's console line: how many are open and how many are not connected; opens the wall. */
export function ConsolesStatusItem() {
  const live = useConsoles((s) => s.live)
  if (live.size === 0) return null
  const down = [...live.values()].filter((c) => c.phase === 'failed' || c.phase === 'retrying').length
  return (
    <button type="button" className={`status-item status-link${down > 0 ? ' status-item-danger' : ''}`} onClick={openConsoleWall} data-testid="consoles-status">
      {live.size} console{live.size === 1 ? '' : 's'}
      {down > 0 && ` · ${down} disconnected`}
    </button>
  )
}
