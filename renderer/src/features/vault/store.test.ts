import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PortholeApi } from '../../../../contract/client'
import { PortholeError, type WireError } from '../../../../contract/errors'
import type { VaultStatus } from '../../../../contract/vault'
import { provideApi } from '../../api'
import { problemOf, secondsUntil, useVault } from './store'

const STATUS: VaultStatus = { state: 'locked', autoLockMinutes: 15, quickUnlock: { available: false, enabled: false, reason: 'no keychain' } }

/** A stand-in host for the vault calls: a password, a backoff it reports, and the vault.changed event. */
function fakeHost(password = 'right password') {
  let state: VaultStatus = { ...STATUS }
  let retryAfterMs = 0
  const listeners = new Set<(e: { state: VaultStatus['state']; reason?: string }) => void>()
  const calls: string[] = []
  const ok = (value: unknown) => ({ ok: true, value })
  const fail = (error: WireError) => ({ ok: false, error })
  const host = {
    calls,
    emit(e: { state: VaultStatus['state']; reason?: string }) {
      for (const l of listeners) l(e)
    },
    api: {
      async call(name: string, input: { password?: string }) {
        calls.push(name)
        const status = (): VaultStatus => (retryAfterMs ? { ...state, retryAfterMs } : state)
        if (name === 'vault.status') return ok(status())
        if (name === 'vault.unlock') {
          if (input.password !== password) {
            retryAfterMs = 1000
            return fail({ code: 'AUTH_FAILED', message: 'wrong', retryable: false })
          }
          retryAfterMs = 0
          state = { ...state, state: 'unlocked' }
          return ok(status())
        }
        if (name === 'vault.lock') {
          state = { ...state, state: 'locked' }
          return ok(status())
        }
        throw new Error(`unexpected call ${name}`)
      },
      on(name: string, listener: (e: { state: VaultStatus['state']; reason?: string }) => void) {
        expect(name).toBe('vault.changed')
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
    } as unknown as PortholeApi,
  }
  return host
}

const vault = () => useVault.getState()

describe('vault store', () => {
  let host: ReturnType<typeof fakeHost>
  beforeEach(() => {
    host = fakeHost()
    provideApi(host.api)
    useVault.setState({ status: null, lockReason: null, busy: false, problem: null, retryAt: null })
  })
  afterEach(() => provideApi(undefined))

  it('keeps a wrong password as a problem with the backoff main reports, then unlocks', async () => {
    await vault().refresh()
    expect(vault().status?.state).toBe('locked')
    const before = Date.now()
    expect(await vault().unlock('nope')).toBe(false)
    expect(vault().problem?.kind).toBe('wrong-password')
    expect(vault().retryAt).toBeGreaterThanOrEqual(before + 1000)
    expect(vault().busy).toBe(false)
    expect(await vault().unlock('right password')).toBe(true)
    expect(vault()).toMatchObject({ problem: null, retryAt: null, status: { state: 'unlocked' } })
  })

  it('shows the lock at once on vault.changed, with its reason, before re-reading the status', async () => {
    await vault().unlock('right password')
    const stop = vault().follow()
    host.emit({ state: 'locked', reason: 'idle' })
    // Synchronously: the gate must not wait for a round trip to hide the shell.
    expect(vault().status?.state).toBe('locked')
    expect(vault().lockReason).toBe('idle')
    stop()
  })

  it('locks the page before main answers', async () => {
    await vault().unlock('right password')
    const locking = vault().lock()
    expect(vault().status?.state).toBe('locked')
    expect(vault().lockReason).toBe('manual')
    await locking
    expect(host.calls).toContain('vault.lock')
  })
})

describe('problemOf', () => {
  it('reads RATE_LIMITED, VAULT_DAMAGED (with its backup) and anything else', () => {
    expect(problemOf(new PortholeError('RATE_LIMITED', 'wait', { detail: { retryAfterMs: 4000 } }), 1000)).toMatchObject({ kind: 'rate-limited', retryAt: 5000 })
    expect(problemOf(new PortholeError('VAULT_DAMAGED', 'torn', { detail: { backup: { available: true, savedAt: '2026-01-01T00:00:00Z' } } }))).toEqual({
      kind: 'damaged',
      message: 'torn',
      backup: { available: true, savedAt: '2026-01-01T00:00:00Z' },
    })
    expect(problemOf(new PortholeError('VAULT_DAMAGED', 'torn'))).toMatchObject({ backup: { available: false } })
    expect(problemOf(new PortholeError('INTERNAL', 'boom'))).toEqual({ kind: 'other', message: 'boom', code: 'INTERNAL' })
  })

  it('counts whole seconds up, never showing 0 while still waiting', () => {
    expect(secondsUntil(null, 0)).toBe(0)
    expect(secondsUntil(1001, 0)).toBe(2)
    expect(secondsUntil(1000, 0)).toBe(1)
    expect(secondsUntil(1000, 1000)).toBe(0)
    expect(secondsUntil(1000, 5000)).toBe(0)
  })
})
