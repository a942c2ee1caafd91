import { useEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react'
import { chordLabel } from '../app/chord'
import { domId } from '../app/dom-id'
import { shortcuts } from '../app/shortcuts'
import { viewOf } from '../app/tab-views'
import { toolbarActions, type ToolbarAction } from '../app/toolbar-actions'
import { useTabs, type Tab } from '../store/tabs'
import { CloseIcon } from './icons'

function keysOf(shortcutId: string | undefined): string | undefined {
  const chord = shortcuts.find((s) => s.id === shortcutId)?.chords[0]
  return chord && chordLabel(chord)
}

function ToolbarButton({ action }: { action: ToolbarAction }) {
  // Each action either always or never has the hook, so hook order is stable per button.
  const status = action.useStatus?.() ?? {}
  const keys = keysOf(action.shortcut)
  const unavailable = status.unavailable
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={action.label}
      aria-pressed={status.pressed}
      aria-disabled={unavailable ? true : undefined}
      title={unavailable ?? (keys ? `${action.label} (${keys})` : action.label)}
      onClick={unavailable ? undefined : action.run}
    >
      <action.icon />
    </button>
  )
}

function TabButton({ tab, active, tabRef }: { tab: Tab; active: boolean; tabRef: (el: HTMLDivElement | null) => void }) {
  const { activate, close } = useTabs.getState()
  const Icon = viewOf(tab).icon
  function onClose(e: MouseEvent): void {
    e.stopPropagation()
    close(tab.id)
  }
  return (
    <div
      ref={tabRef}
      role="tab"
      id={domId('tab', tab.id)}
      className="tab"
      aria-selected={active}
      aria-controls={domId('panel', tab.id)}
      tabIndex={active ? 0 : -1}
      title={tab.title}
      onClick={() => activate(tab.id)}
      // Middle click closes, as in every browser.
      onAuxClick={(e) => e.button === 1 && tab.closable && onClose(e)}
    >
      <Icon size={14} />
      <span className="tab-title">{tab.title}</span>
      {tab.closable && (
        // Not a button: a button inside role=tab is invalid ARIA. Keyboard users close with Delete or Ctrl+W.
        <span className="tab-close" aria-hidden="true" title="Close (Ctrl+W)" onClick={onClose}>
          <CloseIcon size={14} />
        </span>
      )}
    </div>
  )
}

/** The tab bar: toolbar buttons around a tablist that follows the ARIA tabs pattern (roving focus, automatic activation). */
export function TabStrip() {
  const tabs = useTabs((s) => s.tabs)
  const activeId = useTabs((s) => s.activeId)
  const elements = useRef(new Map<string, HTMLDivElement>())
  const focusActive = useRef(false)

  // After keyboard navigation the focus follows the active tab (also when a close picked a neighbour).
  useEffect(() => {
    const el = elements.current.get(activeId)
    if (focusActive.current) el?.focus()
    focusActive.current = false
    el?.scrollIntoView({ block: 'nearest', inline: 'nearest' })
  }, [activeId, tabs])

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    if (e.ctrlKey || e.altKey || e.metaKey) return
    const { activate, close } = useTabs.getState()
    const index = tabs.findIndex((t) => t.id === activeId)
    let target: Tab | undefined
    if (e.key === 'ArrowRight') target = tabs[(index + 1) % tabs.length]
    else if (e.key === 'ArrowLeft') target = tabs[(index - 1 + tabs.length) % tabs.length]
    else if (e.key === 'Home') target = tabs[0]
    else if (e.key === 'End') target = tabs[tabs.length - 1]
    else if (e.key === 'Delete') {
      e.preventDefault()
      focusActive.current = true
      close(activeId)
      return
    } else return
    e.preventDefault()
    if (!target) return
    focusActive.current = true
    if (target.id === activeId) elements.current.get(activeId)?.focus()
    activate(target.id)
  }

  return (
    <div className="tabstrip">
      {toolbarActions
        .filter((a) => a.placement === 'start')
        .map((a) => (
          <ToolbarButton key={a.id} action={a} />
        ))}
      <div className="tablist" role="tablist" aria-label="Open tabs" onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <TabButton
            key={tab.id}
            tab={tab}
            active={tab.id === activeId}
            tabRef={(el) => {
              if (el) elements.current.set(tab.id, el)
              else elements.current.delete(tab.id)
            }}
          />
        ))}
      </div>
      <div className="tabstrip-actions">
        {toolbarActions
          .filter((a) => a.placement === 'end')
          .map((a) => (
            <ToolbarButton key={a.id} action={a} />
          ))}
      </div>
    </div>
  )
}
