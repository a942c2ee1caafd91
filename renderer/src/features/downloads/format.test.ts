import { describe, expect, it } from 'vitest'
import { formatBytes, formatEta, formatRate, progressText } from './format'

describe('download figures', () => {
  it('reads sizes in binary multiples', () => {
    expect(formatBytes(0)).toBe('0 bytes')
    expect(formatBytes(1)).toBe('1 byte')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(16 * 1024 * 1024)).toBe('16 MB')
    expect(formatBytes(4 * 1024 ** 3 + 123)).toBe('4.0 GB')
  })
  it('reads rates and times left', () => {
    expect(formatRate(4.2 * 1024 * 1024)).toBe('4.2 MB/s')
    expect(formatEta(2.1)).toBe('3 s left')
    expect(formatEta(185)).toBe('3 min left')
    expect(formatEta(3900)).toBe('1 h 5 min left')
    expect(progressText(1024, 2048, undefined, undefined)).toBe('1.0 KB of 2.0 KB')
    expect(progressText(1024, 2048, 512, 2)).toBe('1.0 KB of 2.0 KB · 512 bytes/s · 2 s left')
  })
})
