import { PortholeError } from '../../../contract/errors'

export interface BackoffOptions {
  /** Milliseconds since the epoch; injected so tests need not wait. */
  now?: () => number
  firstMs?: number
  capMs?: number
}

/**
 * Slows down password guessing at the keyboard: after the n-th wrong password in a row the
 * next attempt must wait 1 s, 2 s, 4 s … up to the cap. It never locks the user out for
 * longer than the cap, and one right password resets it. (Offline guessing against a copied
 * file is the KDF's job, not this.) Kept in memory only: a restart costs an attacker more
 * than the cap, so persisting it would add a file to trust and nothing else.
 */
export class PasswordBackoff {
  private failures = 0
  private notBefore = 0
  private readonly now: () => number
  private readonly firstMs: number
  private readonly capMs: number

  constructor(options: BackoffOptions = {}) {
    this.now = options.now ?? Date.now
    this.firstMs = options.firstMs ?? 1000
    this.capMs = options.capMs ?? 30_000
  }

  /** Milliseconds until the next attempt is allowed (0 when it is). */
  retryAfterMs(): number {
    return Math.max(0, Math.ceil(this.notBefore - this.now()))
  }

  /** Throws RATE_LIMITED (with `retryAfterMs`) while backing off. */
  check(): void {
    const wait = this.retryAfterMs()
    if (wait > 0) {
      throw new PortholeError('RATE_LIMITED', `Too many wrong passwords; try again in ${Math.ceil(wait / 1000)} s.`, {
        detail: { retryAfterMs: wait },
      })
    }
  }

  /** Records a wrong password; returns the wait before the next attempt. */
  fail(): number {
    this.failures++
    const delay = Math.min(this.capMs, this.firstMs * 2 ** Math.min(this.failures - 1, 30))
    this.notBefore = this.now() + delay
    return delay
  }

  succeed(): void {
    this.failures = 0
    this.notBefore = 0
  }
}
