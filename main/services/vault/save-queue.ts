import { writeGeneration, type VaultPaths } from './vault-file'

interface QueuedSave {
  bytes: Buffer
  promise: Promise<void>
}

/**
 * Serializes every write to the vault's files. Saves of new generations that pile up while
 * one is being written are coalesced: the next write takes the newest bytes, and every
 * caller waiting on it resolves once those are durable (they include its change).
 */
export class SaveQueue {
  private tail: Promise<void> = Promise.resolve()
  private queued: QueuedSave | undefined

  /** Queues `bytes` as the next generation of the vault; resolves when it is on disk. */
  saveGeneration(paths: VaultPaths, bytes: Buffer): Promise<void> {
    if (this.queued) {
      this.queued.bytes = bytes
      return this.queued.promise
    }
    const entry: QueuedSave = { bytes, promise: Promise.resolve() }
    entry.promise = this.tail.then(() => {
      if (this.queued === entry) this.queued = undefined
      return writeGeneration(paths, entry.bytes)
    })
    this.queued = entry
    this.tail = entry.promise.catch(() => undefined)
    return entry.promise
  }

  /** Runs any other file operation in turn with the saves. */
  run<T>(task: () => Promise<T>): Promise<T> {
    // Saves queued after this task must not be folded into one queued before it.
    this.queued = undefined
    const result = this.tail.then(task)
    this.tail = result.then(
      () => undefined,
      () => undefined,
    )
    return result
  }

  /** Resolves once everything queued so far has finished (successfully or not). */
  idle(): Promise<void> {
    return this.tail
  }
}
