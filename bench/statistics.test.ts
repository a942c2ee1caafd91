import { describe, expect, it } from 'vitest'
import { median, percentile } from './statistics'

describe('bench statistics', () => {
  it('median: the middle value, or the mean of the two middle ones; the input is left unsorted', () => {
    const runs = [9, 1, 5]
    expect(median(runs)).toBe(5)
    expect(runs).toEqual([9, 1, 5])
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })

  it('percentile: nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i) // 100..1
    expect(percentile(samples, 95)).toBe(95)
    expect(percentile(samples, 100)).toBe(100)
    expect(percentile([7, 3], 50)).toBe(3)
    expect(percentile([7, 3], 51)).toBe(7)
  })
})
