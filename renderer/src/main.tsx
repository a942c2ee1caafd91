import { createRoot } from 'react-dom/client'
import { connectApi } from './api'
import { App } from './app/App'
import { DetachedConsole } from './features/consoles/DetachedConsole'
import { detachedConsole } from './features/consoles/detached'
import { applyTheme, initialTheme } from './app/theme'
import { useHost } from './store/host'
import { useSettings } from './store/settings'
import './styles/tokens.css'
import './styles/base.css'

/** How long the first paint waits for the saved theme before drawing with the system's. */
const SETTINGS_WAIT_MS = 500

function showFatal(message: string): void {
  const box = document.createElement('div')
  box.className = 'fatal'
  box.setAttribute('role', 'alert')
  const title = document.createElement('h1')
  title.textContent = 'Porthole cannot start'
  const text = document.createElement('p')
  text.textContent = message
  box.append(title, text)
  document.getElementById('root')!.replaceChildren(box)
}

async function main(): Promise<void> {
  applyTheme(initialTheme())
  // Read before connecting: the harness client rewrites the address (its token rides in the fragment).
  const detached = detachedConsole(window.location.hash)
  await connectApi()
  useHost.getState().watch()
  // Follow changes for the page's lifetime, from before the first read, so none slips between them.
  useSettings.getState().follow()
  // Draw with the saved theme from the first frame when the host answers quickly; never wait long.
  await Promise.race([useSettings.getState().load(), new Promise((resolve) => setTimeout(resolve, SETTINGS_WAIT_MS))])
  applyTheme(initialTheme())
  // A detached console window (desktop app) shows that console only.
  createRoot(document.getElementById('root')!).render(detached ? <DetachedConsole params={detached} /> : <App />)
}

main().catch((err: unknown) => showFatal(err instanceof Error ? err.message : String(err)))
