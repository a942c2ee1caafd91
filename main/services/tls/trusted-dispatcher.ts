import { Dispatcher, errors, type Agent } from 'undici'

/**
 * A stable undici dispatcher over a replaceable Agent. Providers keep the dispatcher; when pins
 * change or the vault locks, `renew()` retires the pooled (already verified) connections so the
 * next request opens, and verifies, a new one.
 */
export class TrustedDispatcher extends Dispatcher {
  #inner: Agent | undefined
  #closed = false
  readonly #makeAgent: () => Agent

  constructor(makeAgent: () => Agent) {
    super()
    this.#makeAgent = makeAgent
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (this.#closed) throw new errors.ClientClosedError()
    this.#inner ??= this.#makeAgent()
    return this.#inner.dispatch(options, handler)
  }

  /** Retires the pooled connections gracefully: requests in flight finish, new ones get a new pool. */
  renew(): void {
    const old = this.#inner
    this.#inner = undefined
    if (old !== undefined) old.close().catch(() => undefined)
  }

  #retire(how: 'close' | 'destroy', err: Error | null): Promise<void> {
    this.#closed = true
    const old = this.#inner
    this.#inner = undefined
    if (old === undefined) return Promise.resolve()
    return how === 'close' ? old.close() : old.destroy(err)
  }

  override close(): Promise<void>
  override close(callback: () => void): void
  override close(callback?: () => void): Promise<void> | void {
    const done = this.#retire('close', null)
    if (callback === undefined) return done
    done.then(callback, callback)
  }

  override destroy(): Promise<void>
  override destroy(err: Error | null): Promise<void>
  override destroy(callback: () => void): void
  override destroy(err: Error | null, callback: () => void): void
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    const err = typeof a === 'function' || a === undefined ? null : a
    const callback = typeof a === 'function' ? a : b
    const done = this.#retire('destroy', err)
    if (callback === undefined) return done
    done.then(callback, callback)
  }
}
