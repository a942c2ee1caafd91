/** Timers, injected so tests can drive them. */
export interface Timers {
  setInterval(fn: () => void, ms: number): unknown
  clearInterval(handle: unknown): void
}

export const systemTimers: Timers = {
  setInterval: (fn, ms) => {
    const handle = setInterval(fn, ms)
    // Auto-lock must never be what keeps the process alive.
    handle.unref()
    return handle
  },
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
}

export interface AutoLockOptions {
  /**
   * Seconds the user has been idle. The Electron glue passes powerMonitor.getSystemIdleTime;
   * the browser harness passes the seconds since the renderer's last call.
   */
  idleSeconds: () => number
  /** Called once the idle time reaches the limit while armed. */
  onIdle: () => void
  timers?: Timers
  /** How often to look at the idle time. */
  pollMs?: number
  /** How long an auto-lock "minute" is: 60 000 ms, except in tests that need a short idle timer. */
  minuteMs?: number
}

/**
 * Locks the vault after a period of idle. It polls an idle-time source rather than watching
 * activity itself, so the OS's notion of idle (keyboard and mouse anywhere) decides.
 */
export class AutoLock {
  private limitSeconds = 0
  private handle: unknown = undefined
  private readonly timers: Timers
  private readonly pollMs: number

  constructor(private readonly options: AutoLockOptions) {
    this.timers = options.timers ?? systemTimers
    this.pollMs = options.pollMs ?? 10_000
  }

  /** Starts watching with a limit in minutes (0 = never). */
  arm(minutes: number): void {
    this.disarm()
    this.limitSeconds = (minutes * (this.options.minuteMs ?? 60_000)) / 1000
    if (minutes <= 0) return
    this.handle = this.timers.setInterval(() => this.poll(), this.pollMs)
  }

  /** Stops watching (the vault locked). */
  disarm(): void {
    if (this.handle !== undefined) this.timers.clearInterval(this.handle)
    this.handle = undefined
  }

  get armed(): boolean {
    return this.handle !== undefined
  }

  private poll(): void {
    let idle: number
    try {
      idle = this.options.idleSeconds()
    } catch {
      return // no idle source right now: try again next tick
    }
    if (Number.isFinite(idle) && idle >= this.limitSeconds) {
      this.disarm()
      this.options.onIdle()
    }
  }
}
