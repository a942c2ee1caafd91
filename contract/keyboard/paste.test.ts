import { describe, expect, it } from 'vitest'
import { planKeystrokes, type KeyEvent } from './keystrokes'
import { sendPlan } from './paste'

describe('sendPlan', () => {
  it('sends every event in order and reports progress per character', async () => {
    const plan = planKeystrokes('aB@', 'de', 'us-keysym')
    const sent: KeyEvent[] = []
    const progress: Array<[number, number]> = []
    const done = await sendPlan(plan, (e) => sent.push(e), { eventsPerSecond: 10_000, onProgress: (d, t) => progress.push([d, t]) })
    expect(done).toBe(3)
    expect(sent).toEqual(plan.chars.flatMap((c) => c.events))
    expect(progress).toEqual([[1, 3], [2, 3], [3, 3]])
  })

  it('stops between characters when cancelled, leaving no key held', async () => {
    const plan = planKeystrokes('ABCDEFGH', 'en-US', 'scancode')
    const abort = new AbortController()
    const sent: KeyEvent[] = []
    const done = await sendPlan(plan, (e) => sent.push(e), {
      eventsPerSecond: 10_000,
      signal: abort.signal,
      onProgress: (d) => d === 3 && abort.abort(),
    })
    expect(done).toBe(3)
    expect(sent).toHaveLength(12) // Shift, key, key, Shift for A, B, C
    const held = new Set<string>()
    for (const e of sent) {
      if (e.down) held.add(e.code)
      else held.delete(e.code)
    }
    expect([...held]).toEqual([])
  })

  it('waits between characters at the given rate', async () => {
    const plan = planKeystrokes('abcd', 'en-US', 'scancode') // 8 events
    const times: number[] = []
    const start = Date.now()
    await sendPlan(plan, () => times.push(Date.now() - start), { eventsPerSecond: 100 })
    // 2 events per character at 100/s: the 4th character goes out no earlier than 60 ms in.
    expect(times[6]!).toBeGreaterThanOrEqual(55)
  })
})
