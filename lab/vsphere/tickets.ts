// Console tickets the vCenter lab hands out (reference §3.1): single use, valid 30 minutes if
// unused. Exported so the lab's WebMKS listener (console relay issue) can validate them.
import crypto from 'node:crypto'

export const TICKET_TTL_MS = 30 * 60_000

export interface ConsoleTicketRecord {
  id: string
  vm: string
  type: 'WEBMKS' | 'VMRC'
  issuedAt: number
  expiresAt: number
}

export class TicketRegistry {
  private readonly live = new Map<string, ConsoleTicketRecord>()

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a new ticket for `vm` and returns it; `id` fixes its id (the lab's canary knob), else it is random. */
  issue(vm: string, type: ConsoleTicketRecord['type'], id?: string): ConsoleTicketRecord {
    this.sweep()
    const issuedAt = this.now()
    const record = { id: id ?? crypto.randomBytes(16).toString('hex'), vm, type, issuedAt, expiresAt: issuedAt + TICKET_TTL_MS }
    this.live.set(record.id, record)
    return record
  }

  /** Redeems a ticket: the record the first time within 30 minutes, undefined ever after. */
  consume(id: string): ConsoleTicketRecord | undefined {
    const record = this.live.get(id)
    if (!record) return undefined
    this.live.delete(id)
    return record.expiresAt > this.now() ? record : undefined
  }

  /** Drops the unused tickets of a VM (its console went away, e.g. on power off). */
  revokeVm(vm: string, type?: ConsoleTicketRecord['type']): void {
    for (const [id, r] of this.live) if (r.vm === vm && (!type || r.type === type)) this.live.delete(id)
  }

  get size(): number {
    return this.live.size
  }

  private sweep(): void {
    const t = this.now()
    for (const [id, r] of this.live) if (r.expiresAt <= t) this.live.delete(id)
  }
}

/** The registry of the lab that `npm run lab` starts, for a WebMKS listener in the same process. */
export const labTickets = new TicketRegistry()
