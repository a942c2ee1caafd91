import { describe, expect, it } from 'vitest'
import type { GuestEntry } from '../../../../contract/files'
import { sortEntries } from './store'

const entries: GuestEntry[] = [
  { name: 'file-10.log', type: 'file', size: 10 },
  { name: 'file-2.log', type: 'file', size: 300 },
  { name: 'logs', type: 'directory', size: 4096 },
  { name: 'bin', type: 'symlink', size: 7 },
  { name: 'Apps', type: 'directory', size: 4096 },
]

describe('sortEntries', () => {
  it('puts folders first and reads numbers in names as numbers', () => {
    expect(sortEntries(entries, { column: 'name', descending: false }, new Map()).map((e) => e.name)).toEqual(['Apps', 'logs', 'bin', 'file-2.log', 'file-10.log'])
    expect(sortEntries(entries, { column: 'name', descending: true }, new Map()).map((e) => e.name)).toEqual(['logs', 'Apps', 'file-10.log', 'file-2.log', 'bin'])
  })
  it('sorts by size and by modified time (unknown times first), folders still first', () => {
    expect(sortEntries(entries, { column: 'size', descending: true }, new Map()).map((e) => e.name)).toEqual(['Apps', 'logs', 'file-2.log', 'file-10.log', 'bin'])
    const modified = new Map([
      ['file-10.log', '2026-01-02T00:00:00Z'],
      ['file-2.log', '2025-01-02T00:00:00Z'],
    ])
    expect(sortEntries(entries, { column: 'modified', descending: false }, modified).map((e) => e.name)).toEqual(['Apps', 'logs', 'bin', 'file-2.log', 'file-10.log'])
  })
})
