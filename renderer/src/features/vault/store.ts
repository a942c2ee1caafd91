import { create } from 'zustand'
import { isPortholeError } from '../../../../contract/errors'
import type { LockReason, VaultStatus } from '../../../../contract/vault'
import { getApi, invoke } from '../../api'
import { notifyError, notifyLoadError } from '../../store/notify'

/** What the lock screen shows about the last attempt, in the user's words (never the password). */
export type VaultProblem =
  | { kind: 'wrong-password'; message: string }
  | { kind: 'rate-limited'; message: string; retryAt: number }
  | { kind: 'damaged'; message: string; backup: { available: boolean; savedAt?: string } }
  | { kind: 'other'; message: string; code: string }

export interface VaultStoreState {
  /** null until `vault.status` answered: the gate shows nothing meanwhile. */
  status: VaultStatus | null
  /** Why it locked last (idle, manual, …), for the lock screen's line. */
  lockReason: LockReason | null
  /** True while a create, unlock or restore runs (the KDF takes up to a second). */
  busy: boolean
  problem: VaultProblem | null
  /** When the next password attempt is allowed (ms since the epoch) while wrong passwords back off. */
  retryAt: number | null
  /** Reads `vault.status`. */
  refresh(): Promise<void>
  /** Follows `vault.changed` for the page's lifetime; returns the unsubscribe function. */
  follow(): () => void
  /** Resolves true when the vault is unlocked afterwards; a failure is kept in `problem`. */
  create(password: string, confirm: string): Promise<boolean>
  unlock(password: string): Promise<boolean>
  unlockQuick(): Promise<boolean>
  restoreBackup(password: string): Promise<boolean>
  lock(): Promise<void>
  /** Stores a status from a settings call (auto-lock, quick unlock, password change). */
  adopt(status: VaultStatus): void
  clearProblem(): void
}

/** Turns a failed create/unlock/restore into what the lock screen says; `now` is injected for tests. */
export function problemOf(err: unknown, now: number = Date.now()): VaultProblem {
  if (!isPortholeError(err)) return { kind: 'other', message: err instanceof Error ? err.message : String(err), code: 'INTERNAL' }
  switch (err.code) {
    case 'AUTH_FAILED':
      return { kind: 'wrong-password', message: 'That is not the master password. Check Caps Lock and the keyboard layout, then try again.' }
    case 'RATE_LIMITED': {
      const wait = err.detail?.['retryAfterMs']
      const ms = typeof wait === 'number' && Number.isFinite(wait) && wait > 0 ? wait : 1000
      return { kind: 'rate-limited', message: 'Too many wrong passwords in a row.', retryAt: now + ms }
    }
    case 'VAULT_DAMAGED': {
      const raw = err.detail?.['backup']
      const backup =
        typeof raw === 'object' && raw !== null && (raw as { available?: unknown }).available === true
          ? { available: true, ...(typeof (raw as { savedAt?: unknown }).savedAt === 'string' ? { savedAt: (raw as { savedAt: string }).savedAt } : {}) }
          : { available: false }
      return { kind: 'damaged', message: err.message, backup }
    }
    default:
      return { kind: 'other', message: err.message, code: err.code }
  }
}

export const useVault = create<VaultStoreState>()((set, get) => {
  /** Runs one of the unlocking calls; a wrong password also tells when the next try is allowed. */
  async function attempt(run: () => Promise<VaultStatus>): Promise<boolean> {
    set({ busy: true, problem: null })
    try {
      const status = await run()
      set({ status, busy: false, problem: null, retryAt: null, lockReason: status.state === 'unlocked' ? null : get().lockReason })
      return status.state === 'unlocked'
    } catch (err) {
      const problem = problemOf(err)
      let retryAt = problem.kind === 'rate-limited' ? problem.retryAt : null
      if (problem.kind === 'wrong-password') {
        // The backoff for the next try has already started: ask how long it is, to count it down.
        const after = await invoke('vault.status', {}).catch(() => null)
        if (after) set({ status: after })
        if (after?.retryAfterMs) retryAt = Date.now() + after.retryAfterMs
      }
      set({ busy: false, problem, retryAt })
      return false
    }
  }

  return {
    status: null,
    lockReason: null,
    busy: false,
    problem: null,
    retryAt: null,

    async refresh() {
      try {
        const status = await invoke('vault.status', {})
        set({ status, ...(status.retryAfterMs ? { retryAt: Date.now() + status.retryAfterMs } : {}) })
      } catch (err) {
        notifyLoadError(err, 'Could not read the vault')
      }
    },

    follow() {
      return getApi().on('vault.changed', ({ state, reason }) => {
        const current = get().status
        if (state !== 'unlocked') set({ lockReason: reason ?? null })
        // The state is known at once (the lock screen must show without waiting); the rest follows.
        if (current) set({ status: { ...current, state } })
        void get().refresh()
      })
    },

    create: (password, confirm) => attempt(() => invoke('vault.create', { password, confirm })),
    unlock: (password) => attempt(() => invoke('vault.unlock', { password })),
    unlockQuick: () => attempt(() => invoke('vault.unlockQuick', {})),
    restoreBackup: (password) => attempt(() => invoke('vault.restoreBackup', { password })),

    async lock() {
      const current = get().status
      // Hide everything now; main confirms with vault.changed.
      if (current?.state === 'unlocked') set({ status: { ...current, state: 'locked' }, lockReason: 'manual' })
      try {
        set({ status: await invoke('vault.lock', {}) })
      } catch (err) {
        notifyError(err, 'Could not lock the vault')
        void get().refresh()
      }
    },

    adopt(status) {
      set({ status })
    },

    clearProblem() {
      set({ problem: null })
    },
  }
})

/** Whole seconds left until `retryAt` (0 once it has passed), rounded up so "0 s" never shows while still waiting. */
export function secondsUntil(retryAt: number | null, now: number): number {
  if (retryAt === null) return 0
  return Math.max(0, Math.ceil((retryAt - now) / 1000))
}
