import { describe, expect, it } from 'vitest'
import { AutoLock, type Timers } from './auto-lock'

function manualTimers(): Timers & { tick(): void; active(): number; periods: number[] } {
  const fns = new Map<number, () => void>()
  const periods: number[] = []
  let next = 0
  return {
    periods,
    setInterval: (fn, ms) => {
      fns.set(++next, fn)
      periods.push(ms)
      return next
    },
    clearInterval: (h) => void fns.delete(h as number),
    tick: () => [...fns.values()].forEach((fn) => fn()),
    active: () => fns.size,
  }
}

describe('AutoLock', () => {
  it('fires once the idle source reaches the limit, then stops polling', () => {
    const timers = manualTimers()
    let idle = 0
    let fired = 0
    const a = new AutoLock({ idleSeconds: () => idle, onIdle: () => fired++, timers, pollMs: 1234 })
    a.arm(15)
    expect(timers.periods).toEqual([1234])
    idle = 15 * 60 - 1
    timers.tick()
    expect(fired).toBe(0)
    idle = 15 * 60
    timers.tick()
    expect(fired).toBe(1)
    expect(timers.active()).toBe(0)
    timers.tick()
    expect(fired).toBe(1)
  })

  it('0 minutes means never; re-arming replaces the old timer; disarm stops it', () => {
    const timers = manualTimers()
    let fired = 0
    const a = new AutoLock({ idleSeconds: () => 1e9, onIdle: () => fired++, timers })
    a.arm(0)
    expect(a.armed).toBe(false)
    a.arm(1)
    a.arm(2)
    expect(timers.active()).toBe(1)
    a.disarm()
    timers.tick()
    expect(fired).toBe(0)
  })

  it('an idle source that throws or answers nonsense does not lock', () => {
    const timers = manualTimers()
    let fired = 0
    let answer: () => number = () => {
      throw new Error('powerMonitor not ready')
    }
    const a = new AutoLock({ idleSeconds: () => answer(), onIdle: () => fired++, timers })
    a.arm(1)
    timers.tick()
    answer = () => Number.NaN
    timers.tick()
    expect(fired).toBe(0)
    answer = () => 60
    timers.tick()
    expect(fired).toBe(1)
  })
})
