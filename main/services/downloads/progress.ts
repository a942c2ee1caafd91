// Rate and ETA of a running download: an exponentially weighted rate over the last seconds (a
// plain average would keep showing the slow start), and a throttle so the renderer gets a few
// progress events a second however fast the bytes come.

/** Time constant of the rate's smoothing. */
const TAU_MS = 2000
/** The first estimate waits this long, so one burst does not show an absurd rate. */
const WARMUP_MS = 300

export class RateMeter {
  private rate = 0
  private lastAt: number
  private lastBytes = 0
  private readonly startedAt: number

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = this.lastAt = now()
  }

  /** Records the byte count so far; returns bytes per second (undefined while warming up). */
  update(bytes: number): number | undefined {
    const t = this.now()
    const dt = t - this.lastAt
    if (dt > 0) {
      const instant = ((bytes - this.lastBytes) * 1000) / dt
      const alpha = 1 - Math.exp(-dt / TAU_MS)
      this.rate = this.lastBytes === 0 && this.rate === 0 ? instant : this.rate + alpha * (instant - this.rate)
      this.lastAt = t
      this.lastBytes = bytes
    }
    return t - this.startedAt < WARMUP_MS ? undefined : this.rate
  }
}

/** Seconds left, when both the total and a rate are known. */
export function etaSeconds(bytes: number, total: number | undefined, rate: number | undefined): number | undefined {
  if (total === undefined || rate === undefined || rate <= 0) return undefined
  return Math.max(0, (total - bytes) / rate)
}
