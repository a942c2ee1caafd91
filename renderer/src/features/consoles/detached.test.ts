import { describe, expect, it } from 'vitest'
import { detachedConsole } from './detached'

// What main/electron/external.ts builds: `#console=` + base64url(JSON).
function fragment(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value))
  const b64 = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  return `#console=${b64}`
}
const spec = { ref: { connectionId: 'c1', id: 'vm-42' }, protocol: 'rfb', name: 'Datenbank-Ü', provider: 'vsphere' }

describe('detached console location', () => {
  it('reads the console main asked the window to show', () => {
    expect(detachedConsole(fragment(spec))).toEqual(spec)
  })

  it('is undefined for the main window and for anything malformed', () => {
    expect(detachedConsole('')).toBeUndefined()
    expect(detachedConsole('#token=abc')).toBeUndefined()
    expect(detachedConsole('#console=!!!')).toBeUndefined()
    expect(detachedConsole(fragment({ ...spec, protocol: 'vmrc' }))).toBeUndefined()
    expect(detachedConsole(fragment({ ...spec, extra: 1 }))).toBeUndefined()
  })
})
