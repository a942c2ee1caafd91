import { describe, expect, it } from 'vitest'
import { counted } from './counted'

describe('counted', () => {
  it('uses the singular for exactly one and the plural otherwise, zero included', () => {
    expect([0, 1, 2].map((n) => counted(n, 'VM'))).toEqual(['0 VMs', '1 VM', '2 VMs'])
  })

  it('takes the plural of nouns that do not just add an s', () => {
    expect([counted(1, 'process', 'processes'), counted(7, 'process', 'processes')]).toEqual(['1 process', '7 processes'])
    expect([counted(1, 'entry', 'entries'), counted(3, 'entry', 'entries')]).toEqual(['1 entry', '3 entries'])
  })

  it('writes large counts the way the rest of the UI does (toLocaleString)', () => {
    expect(counted(5000, 'file')).toBe(`${(5000).toLocaleString()} files`)
  })
})
