import { useEffect } from 'react'
import { openDownloads } from './open-downloads'
import { useDownloads } from './store'

/** Status bar: downloads in progress (a click opens the panel); nothing when there are none. */
export function DownloadsStatusItem() {
  const byId = useDownloads((s) => s.byId)
  useEffect(() => useDownloads.getState().start(), [])
  let running = 0
  let failed = 0
  for (const d of byId.values()) {
    if (d.state === 'downloading' || d.state === 'connecting' || d.state === 'queued' || d.state === 'finishing') running++
    else if (d.state === 'failed') failed++
  }
  if (running === 0 && failed === 0) return null
  return (
    <button type="button" className="status-item status-link" onClick={openDownloads}>
      {running > 0 ? `↓ ${running} downloading` : ''}
      {running > 0 && failed > 0 ? ' · ' : ''}
      {failed > 0 ? `${failed} failed` : ''}
    </button>
  )
}
