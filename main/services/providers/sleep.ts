import { PortholeError } from '../../../contract/errors'

/** Waits `ms`, or rejects CANCELLED as soon as the signal aborts (at once when it already has); for retry and poll waits. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new PortholeError('CANCELLED', 'Cancelled.'))
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(new PortholeError('CANCELLED', 'Cancelled.'))
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
