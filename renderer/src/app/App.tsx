import { useEffect, useState } from 'react'
import type { AppInfo } from '../../../contract/app'
import { invoke } from '../api'

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null)
  useEffect(() => {
    void invoke('app.info', {}).then(setInfo)
  }, [])
  return (
    <main>
      <h1>Porthole</h1>
      <p data-testid="app-info">{info ? `${info.version} on ${info.platform} via ${info.transport}` : 'Connecting…'}</p>
    </main>
  )
}
