import { describe, expect, it } from 'vitest'
import { PortholeError } from '../../../contract/errors'
import { PasswordBackoff } from './backoff'

describe('PasswordBackoff', () => {
  it('waits 1 s, 2 s, 4 s … after consecutive failures, capped at 30 s, and never longer', () => {
    let now = 0
    const b = new PasswordBackoff({ now: () => now })
    const waits: number[] = []
    for (let i = 0; i < 12; i++) {
      b.check()
      waits.push(b.fail())
      now += b.retryAfterMs()
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000, 30000, 30000, 30000])
  })

  it('refuses with RATE_LIMITED and the remaining wait until the time is up', () => {
    let now = 5_000
    const b = new PasswordBackoff({ now: () => now })
    b.fail()
    b.fail()
    now += 500
    let err: unknown
    try {
      b.check()
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(PortholeError)
    expect((err as PortholeError).code).toBe('RATE_LIMITED')
    expect((err as PortholeError).retryable).toBe(true)
    expect((err as PortholeError).detail).toEqual({ retryAfterMs: 1500 })
    now += 1500
    expect(() => b.check()).not.toThrow()
  })

  it('one success resets it', () => {
    let now = 0
    const b = new PasswordBackoff({ now: () => now })
    for (let i = 0; i < 5; i++) b.fail()
    now += 60_000
    b.succeed()
    expect(b.retryAfterMs()).toBe(0)
    expect(b.fail()).toBe(1000)
  })
})
