// Rows leave main in batches: every change of a connection within one window (default 75 ms)
// goes out as one `inventory.rows` event, cut into chunks small enough for one WebSocket frame.
import type { ProviderKind, VmRow } from '../../../contract/inventory'

export interface RowBatch {
  connectionId: string
  provider: ProviderKind
  reset?: boolean
  upsert: VmRow[]
  remove: string[]
}

/** Rows per event: about 75 bytes a row keeps an event near 375 KB. */
export const CHUNK_ROWS = 5000

interface Pending {
  provider: ProviderKind
  /** Rows of VMs the connection did not have yet (a first listing): nothing to coalesce, no Map needed. */
  fresh: VmRow[]
  upsert: Map<string, VmRow>
  remove: Set<string>
}

export class RowBatcher {
  private readonly pending = new Map<string, Pending>()
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly send: (batch: RowBatch) => void,
    private readonly windowMs = 75,
  ) {}

  private slot(connectionId: string, provider: ProviderKind): Pending {
    let p = this.pending.get(connectionId)
    if (!p) {
      p = { provider, fresh: [], upsert: new Map(), remove: new Set() }
      this.pending.set(connectionId, p)
    }
    this.timer ??= setTimeout(() => this.flush(), this.windowMs)
    return p
  }

  upsert(connectionId: string, provider: ProviderKind, row: VmRow): void {
    const p = this.slot(connectionId, provider)
    p.remove.delete(row[0])
    p.upsert.set(row[0], row)
  }

  /** Rows of VMs new to the connection. Later changes to them in the same window are sent after them, so they win. */
  append(connectionId: string, provider: ProviderKind, rows: readonly VmRow[]): void {
    const p = this.slot(connectionId, provider)
    for (const row of rows) p.fresh.push(row)
    // A full event's worth goes at once: sent while the next pages are still on their way, it
    // does not pile up into a long tail after the last one.
    if (p.fresh.length + p.upsert.size >= CHUNK_ROWS) this.flush(connectionId)
  }

  remove(connectionId: string, provider: ProviderKind, id: string): void {
    const p = this.slot(connectionId, provider)
    p.upsert.delete(id)
    p.remove.add(id)
  }

  /** Forgets what is pending for a connection (it is being dropped). */
  drop(connectionId: string): void {
    this.pending.delete(connectionId)
  }

  /** Sends what is pending now: for one connection, or for all. */
  flush(connectionId?: string): void {
    const ids = connectionId === undefined ? [...this.pending.keys()] : [connectionId]
    for (const id of ids) {
      const p = this.pending.get(id)
      if (!p) continue
      this.pending.delete(id)
      const upsert = p.upsert.size === 0 ? p.fresh : [...p.fresh, ...p.upsert.values()]
      sendChunked(this.send, { connectionId: id, provider: p.provider, upsert, remove: [...p.remove] })
    }
    if (this.pending.size === 0 && this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.pending.clear()
  }
}

/** Sends one batch as events of at most CHUNK_ROWS rows; `reset` rides on the first. */
export function sendChunked(send: (batch: RowBatch) => void, batch: RowBatch): void {
  const { upsert, remove } = batch
  if (upsert.length === 0 && remove.length === 0 && !batch.reset) return
  let first = true
  for (let i = 0; first || i < upsert.length; i += CHUNK_ROWS) {
    const chunk: RowBatch = { connectionId: batch.connectionId, provider: batch.provider, upsert: upsert.slice(i, i + CHUNK_ROWS), remove: first ? remove : [] }
    if (first && batch.reset) chunk.reset = true
    send(chunk)
    first = false
  }
}
