import { useEffect, type CSSProperties, type MouseEvent } from 'react'
import { Notices } from '../components/Notices'
import { SIDEBAR_ID, Sidebar } from '../components/Sidebar'
import { Splitter } from '../components/Splitter'
import { StatusBar } from '../components/StatusBar'
import { TabPanels } from '../components/TabPanels'
import { TabStrip } from '../components/TabStrip'
import { ProfilesRoot } from '../features/profiles/ProfileDialogs'
import { GuestCredentialsRoot } from '../features/guest-credentials/GuestCredentialsDialog'
import { VaultGate } from '../features/vault/VaultGate'
import { useHost } from '../store/host'
import { useSettings } from '../store/settings'
import { useAppliedTheme } from './theme'
import { useShortcuts } from './useShortcuts'
import './shell.css'

const MAIN_ID = 'main'

function skipToMain(e: MouseEvent<HTMLAnchorElement>): void {
  // Move the focus without touching the URL (its fragment carried the harness token once).
  e.preventDefault()
  document.getElementById(MAIN_ID)?.focus()
}

/** The shell: sidebar (with its splitter) | tabs, status bar below, notifications on top; only while the vault is unlocked. */
export function App() {
  useAppliedTheme()
  useShortcuts()
  useEffect(() => {
    void useHost.getState().load()
  }, [])
  const width = useSettings((s) => s.settings.layout.sidebarWidth)
  const collapsed = useSettings((s) => s.settings.layout.sidebarCollapsed)
  const setLayout = useSettings((s) => s.setLayout)
  // A custom property set through the CSSOM (React's style prop), which the CSP's style-src 'self' allows.
  const shellStyle = { '--sidebar-width': `${width}px` } as CSSProperties

  return (
    <>
      <VaultGate>
        <a className="skip-link" href={`#${MAIN_ID}`} onClick={skipToMain}>
          Skip to tabs
        </a>
        <div className="shell" data-sidebar={collapsed ? 'collapsed' : 'open'} style={shellStyle}>
          {!collapsed && (
            <Sidebar>
              <Splitter
                controls={SIDEBAR_ID}
                width={width}
                onResize={(sidebarWidth) => setLayout({ sidebarWidth })}
                onCollapse={() => setLayout({ sidebarCollapsed: true })}
              />
            </Sidebar>
          )}
          <main className="workspace" id={MAIN_ID} tabIndex={-1}>
            <TabStrip />
            <TabPanels />
          </main>
          <StatusBar />
        </div>
        <ProfilesRoot />
        <GuestCredentialsRoot />
      </VaultGate>
      <Notices />
    </>
  )
}
