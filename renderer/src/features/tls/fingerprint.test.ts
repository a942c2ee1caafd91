import { describe, expect, it } from 'vitest'
import { differingGroups, distinguishedNameParts, fingerprintBytes, fingerprintGroups, fingerprintTail, validityProblem } from './fingerprint'

const FP = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':')

describe('fingerprints', () => {
  it('groups 32 bytes in 8 groups of 4', () => {
    const groups = fingerprintGroups(FP)
    expect(groups).toHaveLength(8)
    expect(groups[0]).toBe('00:01:02:03')
    expect(groups[7]).toBe('1C:1D:1E:1F')
  })

  it('reads any spelling: lower case, spaces, no separators', () => {
    const plain = FP.replace(/:/g, '').toLowerCase()
    expect(fingerprintBytes(plain)).toEqual(fingerprintBytes(FP))
    expect(fingerprintGroups(FP.replace(/:/g, ' '))).toEqual(fingerprintGroups(FP))
  })

  it('marks exactly the groups that differ', () => {
    const other = FP.slice(0, -2) + 'FF'
    expect([...differingGroups(FP, other)]).toEqual([7])
    expect(differingGroups(FP, FP).size).toBe(0)
    // An unrelated certificate: nothing is marked (everything would be).
    expect(differingGroups(FP, FP.replace(/[0-9A-F]{2}/g, 'EE')).size).toBe(0)
  })

  it('takes the last hex digits for confirmation', () => {
    expect(fingerprintTail(FP)).toBe('1E1F')
    expect(fingerprintTail(FP, 6)).toBe('1D1E1F')
  })

  it('splits distinguished names on attribute boundaries only', () => {
    expect(distinguishedNameParts('CN=vc.example.com, O=Example, Inc., C=US')).toEqual([
      ['CN', 'vc.example.com'],
      ['O', 'Example, Inc.'],
      ['C', 'US'],
    ])
    expect(distinguishedNameParts('CN=porthole-test')).toEqual([['CN', 'porthole-test']])
  })

  it('judges validity against a given time', () => {
    const now = new Date('2026-06-01T00:00:00Z')
    expect(validityProblem('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', now)).toBeUndefined()
    expect(validityProblem('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z', now)).toBe('expired')
    expect(validityProblem('2026-07-01T00:00:00Z', '2027-01-01T00:00:00Z', now)).toBe('not-yet-valid')
    expect(validityProblem('garbage', '2027-01-01T00:00:00Z', now)).toBe('expired')
  })
})
