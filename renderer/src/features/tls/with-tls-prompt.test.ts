import { describe, expect, it } from 'vitest'
import { PortholeError } from '../../../../contract/errors'
import type { TlsUntrustedDetail } from '../../../../contract/tls'
import { untrustedDetailOf, withTlsPrompt } from './with-tls-prompt'
import { useTlsPrompt } from './prompt-store'

const FP = Array.from({ length: 32 }, () => 'AB').join(':')
const DETAIL: TlsUntrustedDetail = {
  host: '127.0.0.1',
  port: 8443,
  reason: 'unknown',
  trustable: true,
  fingerprint256: FP,
  subject: 'CN=lab',
  issuer: 'CN=lab',
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: '2027-01-01T00:00:00.000Z',
}
const untrusted = (): PortholeError => new PortholeError('TLS_UNTRUSTED', 'not trusted', { detail: { ...DETAIL } })

describe('withTlsPrompt', () => {
  it('returns at once when the call succeeds, without asking', async () => {
    const asked: string[] = []
    const value = await withTlsPrompt('p1', async () => 42, { ask: async (id) => (asked.push(id), true) })
    expect(value).toBe(42)
    expect(asked).toEqual([])
  })

  it('asks on TLS_UNTRUSTED and retries exactly once after trust', async () => {
    let calls = 0
    const asked: TlsUntrustedDetail[] = []
    const value = await withTlsPrompt(
      'p1',
      async () => {
        calls++
        if (calls === 1) throw untrusted()
        return 'ok'
      },
      { ask: async (_id, detail) => (asked.push(detail), true) },
    )
    expect(value).toBe('ok')
    expect(calls).toBe(2)
    expect(asked).toEqual([DETAIL])
  })

  it('does not loop: a second refusal is thrown as is', async () => {
    let calls = 0
    const error = await withTlsPrompt(
      'p1',
      async () => {
        calls++
        throw untrusted()
      },
      { ask: async () => true },
    ).catch((e: unknown) => e)
    expect(calls).toBe(2)
    expect(error).toMatchObject({ code: 'TLS_UNTRUSTED' })
  })

  it('throws CANCELLED when the user declines, without retrying', async () => {
    let calls = 0
    const error = await withTlsPrompt(
      'p1',
      async () => {
        calls++
        throw untrusted()
      },
      { ask: async () => false },
    ).catch((e: unknown) => e)
    expect(calls).toBe(1)
    expect(error).toMatchObject({ code: 'CANCELLED' })
  })

  it('passes other errors through untouched', async () => {
    const original = new PortholeError('AUTH_FAILED', 'nope')
    await expect(withTlsPrompt('p1', async () => Promise.reject(original), { ask: async () => true })).rejects.toBe(original)
    expect(untrustedDetailOf(new PortholeError('TLS_UNTRUSTED', 'no detail'))).toBeUndefined()
  })

  it('asks once when the same certificate is refused to two callers at once', async () => {
    const store = useTlsPrompt.getState()
    const a = store.ask('p1', DETAIL)
    const b = store.ask('p1', { ...DETAIL, fingerprint256: DETAIL.fingerprint256.toLowerCase() })
    const other = store.ask('p1', { ...DETAIL, port: 9443 })
    expect(useTlsPrompt.getState().queue).toHaveLength(2)
    store.answer(useTlsPrompt.getState().queue[0]!.id, true)
    await expect(a).resolves.toBe(true)
    await expect(b).resolves.toBe(true)
    store.answer(useTlsPrompt.getState().queue[0]!.id, false)
    await expect(other).resolves.toBe(false)
  })

  it('queues questions in the prompt store and resolves them with the answer', async () => {
    const store = useTlsPrompt.getState()
    const first = store.ask('p1', DETAIL)
    const second = store.ask('p2', { ...DETAIL, port: 9443 })
    expect(useTlsPrompt.getState().queue.map((q) => q.profileId)).toEqual(['p1', 'p2'])
    store.answer(useTlsPrompt.getState().queue[0]!.id, true)
    await expect(first).resolves.toBe(true)
    useTlsPrompt.getState().dismissAll()
    await expect(second).resolves.toBe(false)
    expect(useTlsPrompt.getState().queue).toEqual([])
  })
})
