import { describe, expect, it } from 'vitest'
import { etaSeconds, RateMeter } from './progress'

describe('RateMeter', () => {
  it('says nothing while warming up, then follows the rate and smooths a stall', () => {
    let t = 0
    const meter = new RateMeter(() => t)
    t = 100
    expect(meter.update(100_000)).toBeUndefined()
    for (let i = 0; i < 40; i++) {
      t += 100
      meter.update(100_000 + ((t - 100) / 100) * 100_000)
    }
    const steady = meter.update(100_000 + ((t - 100) / 100) * 100_000) as number
    expect(steady).toBeGreaterThan(900_000)
    expect(steady).toBeLessThan(1_100_000)
    // One stalled second halves it, it does not drop to zero at once.
    t += 1000
    const stalled = meter.update(100_000 + ((t - 1100) / 100) * 100_000) as number
    expect(stalled).toBeGreaterThan(300_000)
    expect(stalled).toBeLessThan(steady)
  })
  it('computes the time left only with a total and a rate', () => {
    expect(etaSeconds(50, 150, 10)).toBe(10)
    expect(etaSeconds(50, undefined, 10)).toBeUndefined()
    expect(etaSeconds(50, 150, undefined)).toBeUndefined()
    expect(etaSeconds(50, 150, 0)).toBeUndefined()
  })
})
