/** Runs at most `concurrency` tasks at once; the rest wait in order. */
export class Limiter {
  private running = 0
  private readonly queue: (() => void)[] = []
  /** Most tasks seen running at once (tests check the bound). */
  peak = 0

  constructor(private readonly concurrency: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so a newcomer cannot slip in between.
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.queue.push(resolve))
    else this.running++
    this.peak = Math.max(this.peak, this.running)
    try {
      return await task()
    } finally {
      const next = this.queue.shift()
      if (next) next()
      else this.running--
    }
  }
}
