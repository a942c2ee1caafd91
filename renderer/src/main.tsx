import { createRoot } from 'react-dom/client'
import { connectApi } from './api'
import { App } from './app/App'
import './styles.css'

const root = createRoot(document.getElementById('root')!)
connectApi().then(
  () => root.render(<App />),
  (err: unknown) => {
    const box = document.createElement('p')
    box.className = 'fatal'
    box.setAttribute('role', 'alert')
    box.textContent = err instanceof Error ? err.message : String(err)
    document.getElementById('root')!.replaceChildren(box)
  },
)
