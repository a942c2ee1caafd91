// ZStack sessions (reference §1.5–1.6): a 32-hex uuid per login, sliding expiry (every
// authorized API call resets it to now + identity/session.timeout), explicit renew with a
// duration, validate and logout without authentication.
import crypto from 'node:crypto'
import { zstackDate } from './dates'

export interface Session {
  uuid: string
  accountUuid: string
  userUuid: string
  created: number
  /** When it dies unless used again (ms); Infinity when the timeout is 0. */
  expires: number
}

export class Sessions {
  private readonly byUuid = new Map<string, Session>()

  constructor(
    private readonly timeoutSeconds: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  private deadline(seconds = this.timeoutSeconds()): number {
    return seconds > 0 ? this.now() + seconds * 1000 : Infinity
  }

  create(accountUuid: string): Session {
    const s: Session = {
      uuid: crypto.randomBytes(16).toString('hex'),
      accountUuid,
      userUuid: accountUuid,
      created: this.now(),
      expires: this.deadline(),
    }
    this.byUuid.set(s.uuid, s)
    return s
  }

  /** The live session without touching it (validate, job polls), or undefined. */
  peek(uuid: string | undefined): Session | undefined {
    if (!uuid) return undefined
    const s = this.byUuid.get(uuid)
    if (!s) return undefined
    if (s.expires <= this.now()) {
      this.byUuid.delete(uuid)
      return undefined
    }
    return s
  }

  /** The live session for an authorized API call, its expiry slid forward; undefined when unknown or expired. */
  use(uuid: string | undefined): Session | undefined {
    const s = this.peek(uuid)
    if (s) s.expires = Math.max(s.expires, this.deadline())
    return s
  }

  /** renewSession: expiry becomes now + duration (default the timeout). */
  renew(s: Session, durationSeconds: number | undefined): Session {
    s.expires = this.deadline(durationSeconds ?? this.timeoutSeconds())
    return s
  }

  /** Live sessions of an account (expired ones are dropped on the way). */
  countFor(accountUuid: string): number {
    let n = 0
    for (const uuid of [...this.byUuid.keys()]) if (this.peek(uuid)?.accountUuid === accountUuid) n++
    return n
  }

  delete(uuid: string): void {
    this.byUuid.delete(uuid)
  }

  expireAll(): void {
    this.byUuid.clear()
  }

  get size(): number {
    return this.byUuid.size
  }
}

/** SessionInventory. */
export function sessionInventory(s: Session): Record<string, unknown> {
  return {
    uuid: s.uuid,
    accountUuid: s.accountUuid,
    userUuid: s.userUuid,
    // A session that never expires still shows a date, far away, as ZStack would.
    expiredDate: zstackDate(Number.isFinite(s.expires) ? s.expires : s.created + 3650 * 86_400_000),
    createDate: zstackDate(s.created),
  }
}
