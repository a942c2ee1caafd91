// Async API jobs (reference §3): the 202's `location` names the management node's own address,
// which the desktop may not reach (NAT, reverse proxy, HTTPS front end) and which the server
// chose: the client keeps only `/zstack/v1/api-jobs/<id>…` and puts it on its configured base
// URL. Polling backs off from 300 ms to 2 s and stops at a deadline or when aborted.
import { PortholeError } from '../../../../contract/errors'
import { sleep } from '../sleep'

const JOB_PATH = '/zstack/v1/api-jobs/'

/** The job URL on our own base (scheme, host, port and context path kept); never the server's host. */
export function jobUrl(base: string, location: string): string {
  const at = location.indexOf(JOB_PATH)
  const rest = at >= 0 ? location.slice(at + JOB_PATH.length) : ''
  if (at < 0 || rest === '' || rest.startsWith('/')) {
    throw new PortholeError('PROVIDER_ERROR', 'ZStack accepted the request but gave no usable job location.', {
      detail: { location: location.slice(0, 300) },
    })
  }
  return `${base}${JOB_PATH}${rest}`
}

/** The job id in a location (for messages and logs). */
export function jobIdOf(location: string): string {
  const at = location.indexOf(JOB_PATH)
  return at >= 0 ? (location.slice(at + JOB_PATH.length).split(/[/?#]/)[0] ?? '') : ''
}

export interface PollOptions {
  signal: AbortSignal
  /** Give up after this long (ms since polling began). */
  deadlineMs: number
  /** First wait and cap (default 300 ms → 2 s, ×1.5 each time). */
  initialMs?: number
  maxMs?: number
  /** What the job is, for the timeout message ("start of vm web-01"). */
  what: string
  jobId: string
  now?: () => number
}

export interface PollAnswer {
  status: number
  text: string
}

/**
 * Polls until the job is no longer running (any status but 202) and returns that answer.
 * TIMEOUT when the deadline passes (the job may still finish on the server), CANCELLED on abort.
 */
export async function pollJob(poll: (signal: AbortSignal) => Promise<PollAnswer>, options: PollOptions): Promise<PollAnswer> {
  const now = options.now ?? Date.now
  const started = now()
  const max = options.maxMs ?? 2000
  let wait = options.initialMs ?? 300
  for (;;) {
    const left = options.deadlineMs - (now() - started)
    if (left <= 0) {
      throw new PortholeError('TIMEOUT', `ZStack did not finish the ${options.what} within ${Math.round(options.deadlineMs / 1000)} s; it may still complete.`, {
        detail: { jobUuid: options.jobId },
      })
    }
    await sleep(Math.min(wait, left), options.signal)
    wait = Math.min(max, Math.round(wait * 1.5))
    const answer = await poll(options.signal)
    if (answer.status !== 202) return answer
  }
}
