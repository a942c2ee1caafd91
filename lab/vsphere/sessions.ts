// vCenter API sessions: one token serves /api and /rest; it idles out after the fault knob's
// seconds (reference §1).
import crypto from 'node:crypto'

export interface Session {
  user: string
  created: number
  lastAccessed: number
}

export class Sessions {
  private readonly byToken = new Map<string, Session>()

  constructor(
    private readonly expirySeconds: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new 32-hex-digit token, like vCenter's. */
  create(user: string): string {
    const token = crypto.randomBytes(16).toString('hex')
    const t = this.now()
    this.byToken.set(token, { user, created: t, lastAccessed: t })
    return token
  }

  /** The live session for a token (touching it), or undefined when unknown or idled out. */
  use(token: string | undefined): Session | undefined {
    if (!token) return undefined
    const s = this.byToken.get(token)
    if (!s) return undefined
    const expiry = this.expirySeconds()
    const t = this.now()
    if (expiry > 0 && t - s.lastAccessed > expiry * 1000) {
      this.byToken.delete(token)
      return undefined
    }
    s.lastAccessed = t
    return s
  }

  delete(token: string): void {
    this.byToken.delete(token)
  }

  expireAll(): void {
    this.byToken.clear()
  }

  get size(): number {
    return this.byToken.size
  }
}
