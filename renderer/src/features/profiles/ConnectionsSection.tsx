import { useState, type KeyboardEvent, type MouseEvent } from 'react'
import type { ProfileSummary } from '../../../../contract/profiles'
import { PlusIcon } from '../../components/icons'
import { ConnectionMenu, type MenuItem } from './ConnectionMenu'
import { ADD_CONNECTION_BUTTON_ID, connectionRow, focusConnection } from './connection-focus'
import { ExportIcon, ImportIcon, KIND_ICONS, MoreIcon } from './kind-icons'
import { addConnection, confirmDeleteProfile, duplicateProfile, editProfile, exportProfiles, importProfiles, testProfile } from './profile-actions'
import { KIND_LABELS, endpointHost } from './profile-form'
import { useProfiles } from './store'

function menuItems(p: ProfileSummary): MenuItem[] {
  return [
    { id: 'edit', label: 'Edit…', keys: 'Enter', run: () => editProfile(p.id) },
    {
      id: 'duplicate',
      label: 'Duplicate',
      keys: 'Ctrl+D',
      run: () => void duplicateProfile(p.id).then((id) => id && focusConnection(id)),
    },
    { id: 'test', label: 'Test connection', keys: 'Ctrl+T', run: () => void testProfile(p.id) },
    { id: 'export', label: 'Export…', run: () => exportProfiles([p.id]) },
    { id: 'delete', label: 'Delete…', keys: 'Delete', danger: true, run: () => confirmDeleteProfile(p.id) },
  ]
}

/** The sidebar's saved connections: icon per kind, name, host; arrow keys move, Enter edits, Shift+F10 opens the menu. */
export function ConnectionsSection() {
  const profiles = useProfiles((s) => s.profiles)
  const loaded = useProfiles((s) => s.loaded)
  const [current, setCurrent] = useState<string>()
  const [menu, setMenu] = useState<{ profile: ProfileSummary; at: { x: number; y: number } }>()
  // Roving focus: one row is in the Tab order (the last one used, else the first).
  const tabStop = profiles.some((p) => p.id === current) ? current : profiles[0]?.id

  function openMenu(p: ProfileSummary, at?: { x: number; y: number }): void {
    const rect = connectionRow(p.id)?.getBoundingClientRect()
    setMenu({ profile: p, at: at ?? { x: rect ? rect.left + 24 : 0, y: rect ? rect.bottom : 0 } })
  }

  function onKeyDown(e: KeyboardEvent<HTMLButtonElement>, p: ProfileSummary, index: number): void {
    const move = (to: ProfileSummary | undefined): void => {
      if (!to) return
      e.preventDefault()
      setCurrent(to.id)
      connectionRow(to.id)?.focus()
    }
    const plain = !e.ctrlKey && !e.altKey && !e.metaKey
    if (plain && e.key === 'ArrowDown') return move(profiles[index + 1])
    if (plain && e.key === 'ArrowUp') return move(profiles[index - 1])
    if (plain && e.key === 'Home') return move(profiles[0])
    if (plain && e.key === 'End') return move(profiles[profiles.length - 1])
    if ((plain && e.key === 'F2') || (plain && !e.shiftKey && e.key === 'Enter')) {
      e.preventDefault()
      return editProfile(p.id)
    }
    if (plain && !e.shiftKey && e.key === 'Delete') {
      e.preventDefault()
      return confirmDeleteProfile(p.id)
    }
    if ((e.shiftKey && e.key === 'F10') || e.key === 'ContextMenu') {
      e.preventDefault()
      return openMenu(p)
    }
    if (e.ctrlKey && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'd') {
      e.preventDefault()
      void duplicateProfile(p.id).then((id) => id && focusConnection(id))
      return
    }
    if (e.ctrlKey && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 't') {
      e.preventDefault()
      void testProfile(p.id)
    }
  }

  return (
    <>
      <ul className="sidebar-list connection-list" aria-label="Connections">
        {profiles.map((p, index) => {
          const Icon = KIND_ICONS[p.kind]
          return (
            <li key={p.id} className="connection-item">
              <button
                type="button"
                className="connection"
                data-profile-id={p.id}
                tabIndex={p.id === tabStop ? 0 : -1}
                aria-keyshortcuts="Enter Delete Shift+F10"
                title={`${p.name} — Enter to edit, Shift+F10 for more`}
                onFocus={() => setCurrent(p.id)}
                onKeyDown={(e) => onKeyDown(e, p, index)}
                onDoubleClick={() => editProfile(p.id)}
                onContextMenu={(e: MouseEvent) => {
                  e.preventDefault()
                  setCurrent(p.id)
                  openMenu(p, { x: e.clientX, y: e.clientY })
                }}
              >
                <span className={`connection-icon connection-icon-${p.kind}`}>
                  <Icon />
                </span>
                <span className="connection-text">
                  <span className="connection-name">{p.name}</span>
                  <span className="connection-host">
                    <span className="visually-hidden">{KIND_LABELS[p.kind]}, </span>
                    {endpointHost(p)}
                  </span>
                </span>
              </button>
              <button
                type="button"
                className="icon-button connection-more"
                tabIndex={-1}
                aria-label={`Actions for ${p.name}`}
                aria-haspopup="menu"
                title="Actions (Shift+F10)"
                onClick={(e) => {
                  const r = e.currentTarget.getBoundingClientRect()
                  setCurrent(p.id)
                  openMenu(p, { x: r.left, y: r.bottom })
                }}
              >
                <MoreIcon size={14} />
              </button>
            </li>
          )
        })}
      </ul>
      {loaded && profiles.length === 0 && (
        <div className="sidebar-empty">
          <p className="sidebar-empty-title">No connections yet</p>
          <p>Add a vCenter, OpenStack, ZStack or VNC host and its VMs appear here.</p>
        </div>
      )}
      {menu && (
        <ConnectionMenu
          label={`Actions for ${menu.profile.name}`}
          items={menuItems(menu.profile)}
          at={menu.at}
          onClose={() => {
            const id = menu.profile.id
            setMenu(undefined)
            // Back to the row, unless the action moved the focus elsewhere (a dialog).
            requestAnimationFrame(() => {
              if (document.activeElement === document.body) connectionRow(id)?.focus()
            })
          }}
        />
      )}
    </>
  )
}

/** The section's header buttons: add, import, export. */
export function ConnectionsActions() {
  const count = useProfiles((s) => s.profiles.length)
  return (
    <div className="sidebar-actions">
      <button type="button" className="icon-button" onClick={importProfiles} aria-label="Import connections" title="Import connections (clouds.yaml, environment, Porthole export)">
        <ImportIcon />
      </button>
      <button
        type="button"
        className="icon-button"
        onClick={count > 0 ? () => exportProfiles() : undefined}
        aria-disabled={count === 0 || undefined}
        aria-label="Export connections"
        title={count > 0 ? 'Export connections (encrypted)' : 'Nothing to export yet'}
      >
        <ExportIcon />
      </button>
      <button type="button" id={ADD_CONNECTION_BUTTON_ID} className="icon-button" onClick={addConnection} aria-label="New connection" title="New connection (Ctrl+N)">
        <PlusIcon />
      </button>
    </div>
  )
}
