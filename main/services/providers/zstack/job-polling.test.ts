import { describe, expect, it } from 'vitest'
import { PortholeError } from '../../../../contract/errors'
import { jobIdOf, jobUrl, pollJob, type PollAnswer } from './job-polling'
import { normalizeBase } from './client'

const never = new AbortController().signal

describe('job location rewrite', () => {
  const id = '0123456789abcdef0123456789abcdef'
  it('keeps /zstack/v1/api-jobs/<id> and puts it on our base, scheme and context path included', () => {
    const location = `http://10.0.0.5:8080/zstack/v1/api-jobs/${id}`
    expect(jobUrl('https://zstack.example.com', location)).toBe(`https://zstack.example.com/zstack/v1/api-jobs/${id}`)
    expect(jobUrl('https://proxy.example.com:8443/cloud', location)).toBe(`https://proxy.example.com:8443/cloud/zstack/v1/api-jobs/${id}`)
    expect(jobUrl('http://127.0.0.1:8080', `http://127.0.0.1:8080/zstack/v1/api-jobs/${id}?x=1`)).toBe(`http://127.0.0.1:8080/zstack/v1/api-jobs/${id}?x=1`)
    expect(jobIdOf(location)).toBe(id)
  })

  it('refuses a location without the job path rather than following the server-chosen host', () => {
    for (const bad of ['http://evil.example.com/steal', 'http://10.0.0.5:8080/zstack/v1/api-jobs/', '']) {
      expect(() => jobUrl('https://zs', bad)).toThrowError(PortholeError)
    }
  })

  it('normalizes what the user typed', () => {
    expect(normalizeBase('http://mn:8080/')).toBe('http://mn:8080')
    expect(normalizeBase('http://mn:8080/zstack')).toBe('http://mn:8080')
    expect(normalizeBase('https://mn/ctx/zstack/v1/')).toBe('https://mn/ctx')
  })
})

describe('pollJob', () => {
  function fake(answers: PollAnswer[]): { poll: () => Promise<PollAnswer>; calls: number[] } {
    const calls: number[] = []
    const started = Date.now()
    return {
      calls,
      poll: async () => {
        calls.push(Date.now() - started)
        return answers.shift() ?? { status: 202, text: '{}' }
      },
    }
  }

  it('polls while 202 and returns the first other answer, backing off', async () => {
    const f = fake([{ status: 202, text: '{}' }, { status: 202, text: '{}' }, { status: 202, text: '{}' }, { status: 200, text: '{"inventory":{}}' }])
    const a = await pollJob(f.poll, { signal: never, deadlineMs: 5000, initialMs: 20, maxMs: 40, what: 'x', jobId: 'j' })
    expect(a).toEqual({ status: 200, text: '{"inventory":{}}' })
    expect(f.calls).toHaveLength(4)
    // Waits grow 20 → 30 → 40 → 40 (capped): the gaps are never shorter than the schedule.
    const gaps = f.calls.map((t, i) => t - (f.calls[i - 1] ?? 0))
    expect(gaps[0]).toBeGreaterThanOrEqual(19)
    expect(gaps[1]).toBeGreaterThanOrEqual(29)
    expect(gaps[2]).toBeGreaterThanOrEqual(39)
    expect(gaps[3]).toBeGreaterThanOrEqual(39)
  })

  it('gives up at the deadline with TIMEOUT naming the job', async () => {
    const f = fake([])
    const err = await pollJob(f.poll, { signal: never, deadlineMs: 120, initialMs: 20, maxMs: 40, what: 'start of the VM', jobId: 'job-7' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PortholeError)
    expect((err as PortholeError).code).toBe('TIMEOUT')
    expect((err as PortholeError).message).toContain('start of the VM')
    expect((err as PortholeError).detail).toEqual({ jobUuid: 'job-7' })
    expect(f.calls.length).toBeGreaterThanOrEqual(2)
  })

  it('stops waiting at once when aborted', async () => {
    const ac = new AbortController()
    const f = fake([])
    const started = Date.now()
    setTimeout(() => ac.abort(), 50)
    const err = await pollJob(f.poll, { signal: ac.signal, deadlineMs: 60_000, initialMs: 10_000, what: 'x', jobId: 'j' }).catch((e: unknown) => e)
    expect((err as PortholeError).code).toBe('CANCELLED')
    expect(Date.now() - started).toBeLessThan(5000)
    expect(f.calls).toHaveLength(0)
  })
})
