import { useEffect, useRef } from 'react'
import type { IconComponent } from '../../components/icons'
import type { TabViewProps } from '../../app/tab-views'
import { useTabs } from '../../store/tabs'
import { useConsoles, type LiveConsole } from '../consoles/store'
import './console-wall.css'

/** Most thumbnails on the wall: a 3×3 grid stays readable. */
export const WALL_MAX = 9
/**
 * Thumbnails redraw this often while the wall is on screen. The consoles behind it are hidden
 * tabs, which ask for no frames: each redraw asks its console for one (a low, fixed rate).
 */
const REFRESH_MS = 1000

const PHASE_TEXT: Record<LiveConsole['phase'], string> = {
  opening: 'Connecting…',
  connecting: 'Connecting…',
  connected: 'Connected',
  retrying: 'Reconnecting…',
  failed: 'Disconnected',
}

/** A grid of small screens. */
export const WallIcon: IconComponent = ({ size = 16 }) => (
  <svg className="icon" width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinejoin="round" aria-hidden="true" focusable="false">
    <rect x="1.5" y="1.5" width="5.5" height="5.5" rx="1" />
    <rect x="9" y="1.5" width="5.5" height="5.5" rx="1" />
    <rect x="1.5" y="9" width="5.5" height="5.5" rx="1" />
    <rect x="9" y="9" width="5.5" height="5.5" rx="1" />
  </svg>
)

/** Opens the console wall tab (one of a kind). */
export function openConsoleWall(): void {
  useTabs.getState().open({ kind: 'console-wall', id: 'console-wall', title: 'Console wall', params: {} })
}

function Tile({ console: c, active }: { console: LiveConsole; active: boolean }) {
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const linesRef = useRef<HTMLPreElement>(null)

  // View-only by construction: the tile copies pixels (or text) from the console's own tab, which
  // keeps the one relay session; nothing here can send a key.
  useEffect(() => {
    if (!active) return
    const draw = (): void => {
      c.refresh()
      const target = canvasRef.current
      if (c.protocol === 'serial') {
        if (linesRef.current) linesRef.current.textContent = c.lines().join('\n')
        return
      }
      const source = c.canvas()
      if (!target || !source || source.width === 0) return
      const scale = Math.min(target.width / source.width, target.height / source.height)
      const w = source.width * scale
      const h = source.height * scale
      const ctx = target.getContext('2d')
      if (!ctx) return
      ctx.fillStyle = '#000'
      ctx.fillRect(0, 0, target.width, target.height)
      ctx.drawImage(source, (target.width - w) / 2, (target.height - h) / 2, w, h)
    }
    draw()
    const timer = setInterval(draw, REFRESH_MS)
    return () => clearInterval(timer)
  }, [c, active])

  return (
    <li className="wall-tile">
      <button type="button" className="wall-button" onClick={() => useTabs.getState().activate(c.tabId)} aria-label={`${c.title}: ${PHASE_TEXT[c.phase]}. Open its tab.`}>
        {c.protocol === 'rfb' ? <canvas ref={canvasRef} width={320} height={200} className="wall-thumb" /> : <pre ref={linesRef} className="wall-thumb wall-lines" />}
        <span className="wall-caption">
          <span className="wall-title">{c.title}</span>
          <span className={`wall-phase wall-phase-${c.phase}`}>{PHASE_TEXT[c.phase]}</span>
        </span>
      </button>
    </li>
  )
}

/** Live thumbnails of up to nine open consoles; a click opens the console's tab. */
export function ConsoleWall({ active }: TabViewProps<'console-wall'>) {
  const live = useConsoles((s) => s.live)
  const consoles = [...live.values()].slice(0, WALL_MAX)
  return (
    <div className="wall">
      <h1 className="wall-heading">Console wall</h1>
      {consoles.length === 0 ? (
        <p className="wall-empty">No console is open. Open one from the VMs tab (Enter or double-click on a VM), and it shows here.</p>
      ) : (
        <ul className="wall-grid" aria-label="Open consoles">
          {consoles.map((c) => (
            <Tile key={c.tabId} console={c} active={active} />
          ))}
        </ul>
      )}
      {live.size > WALL_MAX && <p className="wall-more">{live.size - WALL_MAX} more consoles are open in their tabs.</p>}
    </div>
  )
}
