import { describe, expect, it } from 'vitest'
import { sleep } from './sleep'

describe('sleep', () => {
  it('resolves after the wait', async () => {
    const started = Date.now()
    await sleep(40, new AbortController().signal)
    expect(Date.now() - started).toBeGreaterThanOrEqual(35)
  })

  it('rejects CANCELLED at once when the signal has already aborted', async () => {
    const c = new AbortController()
    c.abort()
    await expect(sleep(60_000, c.signal)).rejects.toMatchObject({ code: 'CANCELLED' })
  })

  it('rejects CANCELLED as soon as the signal aborts, not when the wait ends', async () => {
    const c = new AbortController()
    const started = Date.now()
    const waiting = sleep(60_000, c.signal)
    setTimeout(() => c.abort(), 20)
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})
