import { useRef, type KeyboardEvent, type PointerEvent } from 'react'
import { SIDEBAR_DEFAULT, SIDEBAR_MAX, SIDEBAR_MIN, clampSidebarWidth, widthForKey } from '../app/sidebar-width'

export interface SplitterProps {
  /** The id of the panel it resizes. */
  controls: string
  width: number
  onResize(width: number): void
  onCollapse(): void
}

/**
 * The sidebar's right edge: drag it, or focus it and use the arrow keys (Shift for bigger
 * steps, Home/End for the bounds, Enter to hide the sidebar). Double-click restores the default.
 */
export function Splitter({ controls, width, onResize, onCollapse }: SplitterProps) {
  const drag = useRef<{ startX: number; startWidth: number } | null>(null)

  function onPointerDown(e: PointerEvent<HTMLDivElement>): void {
    if (e.button !== 0) return
    e.preventDefault()
    e.currentTarget.setPointerCapture(e.pointerId)
    e.currentTarget.focus()
    drag.current = { startX: e.clientX, startWidth: width }
  }
  function onPointerMove(e: PointerEvent<HTMLDivElement>): void {
    if (!drag.current) return
    onResize(clampSidebarWidth(drag.current.startWidth + e.clientX - drag.current.startX))
  }
  function onPointerUp(e: PointerEvent<HTMLDivElement>): void {
    drag.current = null
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId)
  }
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    if (e.ctrlKey || e.altKey || e.metaKey) return
    if (e.key === 'Enter') {
      e.preventDefault()
      onCollapse()
      return
    }
    const next = widthForKey(width, e.key, e.shiftKey)
    if (next === null) return
    e.preventDefault()
    onResize(next)
  }

  return (
    <div
      className="splitter"
      role="separator"
      tabIndex={0}
      aria-orientation="vertical"
      aria-controls={controls}
      aria-label="Resize sidebar"
      aria-valuenow={width}
      aria-valuemin={SIDEBAR_MIN}
      aria-valuemax={SIDEBAR_MAX}
      aria-valuetext={`${width} pixels`}
      title="Drag or use the arrow keys to resize; Enter hides the sidebar"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={() => onResize(SIDEBAR_DEFAULT)}
      onKeyDown={onKeyDown}
    />
  )
}
