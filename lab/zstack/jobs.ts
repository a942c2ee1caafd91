// Async API jobs (reference §3): the id is the request's X-Job-UUID (or a fresh 32-hex uuid),
// the job is still running (202 `{}`), done (200 result) or failed (503 error). Finished jobs
// are kept for rest/completedApi.expiredPeriod, and at most `max` of them.
import crypto from 'node:crypto'
import type { ErrorBody } from './wire'

/** A finished job: the API's result (with the `schema` to add when the poll asks) or its error. */
export type JobResult = { ok: true; body: Record<string, unknown>; schema?: Record<string, string> } | { ok: false; error: ErrorBody }

interface Job {
  id: string
  created: number
  result: JobResult | undefined
}

export class Jobs {
  private readonly byId = new Map<string, Job>()

  constructor(
    private readonly now: () => number = Date.now,
    private readonly keepMs = 10_800_000,
    private readonly max = 20_000,
  ) {}

  has(id: string): boolean {
    return this.byId.has(id)
  }

  /** Registers a running job and settles it when `work` does. */
  start(id: string | undefined, work: Promise<JobResult>): string {
    this.purge()
    const job: Job = { id: id ?? crypto.randomBytes(16).toString('hex'), created: this.now(), result: undefined }
    this.byId.set(job.id, job)
    void work.then(
      (r) => (job.result = r),
      (e: unknown) => (job.result = { ok: false, error: { code: 'SYS.1000', description: 'An internal error happened in system', details: String(e) } }),
    )
    return job.id
  }

  /** undefined: unknown or purged; 'running'; or the result. */
  state(id: string): JobResult | 'running' | undefined {
    const job = this.byId.get(id)
    if (!job) return undefined
    return job.result ?? 'running'
  }

  get size(): number {
    return this.byId.size
  }

  get running(): number {
    let n = 0
    for (const j of this.byId.values()) if (!j.result) n++
    return n
  }

  /** Unfinished jobs are never purged. */
  private purge(): void {
    const t = this.now()
    let over = this.byId.size - this.max
    for (const [id, j] of this.byId) {
      if (!j.result) continue
      if (t - j.created > this.keepMs || over > 0) {
        this.byId.delete(id)
        over--
      }
    }
  }
}
