import type { inventoryCalls } from '../../../contract/inventory'
import type { Handlers } from '../../../contract/serve'
import type { InventoryService } from './inventory-service'

/** Binds the inventory service to the contract's inventory.* calls. */
export function inventoryHandlers(inventory: InventoryService): Handlers<typeof inventoryCalls> {
  return {
    'inventory.sync': () => ({ connections: inventory.sync() }),
    'inventory.connect': ({ connectionId }) => inventory.connect(connectionId),
    'inventory.refresh': ({ connectionId }) => ({ connections: inventory.refresh(connectionId) }),
    'inventory.disconnect': async ({ connectionId }) => {
      await inventory.disconnect(connectionId)
      return { ok: true as const }
    },
    'inventory.details': async ({ refs }, ctx) => ({ rows: await inventory.details(refs, ctx.signal) }),
    'inventory.power': ({ ref, action }, ctx) => inventory.power(ref, action, ctx.signal),
  }
}
