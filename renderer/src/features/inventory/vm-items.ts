import type { VmItem } from './vm-item'

/**
 * Every VM the renderer holds: looked up by connection and provider id, and listed in the order
 * they were added (the sorted view takes in the new ones at the end without sorting again).
 *
 * One Map per connection, keyed by the provider's id as it came off the wire: a single Map keyed
 * by `${connectionId}/${id}` made V8 flatten and hash a new concatenated string per VM, which
 * was most of the time a 50,000-VM listing took in the renderer (~50 ms of ~60).
 */
export class VmItems {
  private readonly byConnection = new Map<string, Map<string, VmItem>>()
  private order: VmItem[] = []
  /** Items were removed since `order` was last made: it still holds them. */
  private stale = false
  private count = 0

  get size(): number {
    return this.count
  }

  /** The item of a key (`${connectionId}/${id}`: connection ids never hold a '/', VM ids may). */
  get(key: string): VmItem | undefined {
    const slash = key.indexOf('/')
    return slash < 0 ? undefined : this.find(key.slice(0, slash), key.slice(slash + 1))
  }

  find(connectionId: string, id: string): VmItem | undefined {
    return this.byConnection.get(connectionId)?.get(id)
  }

  /** The items of one connection, by id; created empty for a connection that has none yet. */
  of(connectionId: string): Map<string, VmItem> {
    let items = this.byConnection.get(connectionId)
    if (!items) {
      items = new Map()
      this.byConnection.set(connectionId, items)
    }
    return items
  }

  /** Adds an item new to its connection (`of(connectionId)` did not have its id). */
  add(connection: Map<string, VmItem>, item: VmItem): void {
    connection.set(item.id, item)
    this.order.push(item)
    this.count++
  }

  remove(connectionId: string, id: string): boolean {
    if (!this.byConnection.get(connectionId)?.delete(id)) return false
    this.count--
    this.stale = true
    return true
  }

  removeConnection(connectionId: string): void {
    const items = this.byConnection.get(connectionId)
    if (!items) return
    this.byConnection.delete(connectionId)
    this.count -= items.size
    if (items.size > 0) this.stale = true
  }

  clear(): void {
    this.byConnection.clear()
    this.order = []
    this.count = 0
    this.stale = false
  }

  /** Every item, in the order added (removed ones left out). */
  values(): readonly VmItem[] {
    if (this.stale) {
      this.order = this.order.filter((item) => this.byConnection.get(item.connectionId)?.get(item.id) === item)
      this.stale = false
    }
    return this.order
  }
}
