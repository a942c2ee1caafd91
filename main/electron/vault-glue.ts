import type { PowerMonitor } from 'electron'
import { events } from '../../contract/index'
import type { LockReason } from '../../contract/vault'
import type { EventBus } from '../event-bus'
import type { AppMenu } from './menu'

/** Locks the vault when the screen locks or the machine suspends (DESIGN.md, "Secrets"). Returns a function that stops. */
export function lockOnPowerEvents(
  power: Pick<PowerMonitor, 'on' | 'off'>,
  vault: { lock(reason: LockReason): void },
): () => void {
  const onScreenLock = (): void => vault.lock('screen-lock')
  const onSuspend = (): void => vault.lock('suspend')
  power.on('lock-screen', onScreenLock)
  power.on('suspend', onSuspend)
  return () => {
    power.off('lock-screen', onScreenLock)
    power.off('suspend', onSuspend)
  }
}

export const LOCK_VAULT_ITEM = 'vault.lock'

/**
 * File › Lock Vault, enabled while the vault is unlocked. No accelerator: a menu shortcut
 * would be taken from the VM console, where the user's keys belong to the guest.
 */
export function addLockVaultMenuItem(menu: AppMenu, vault: { lock(reason: LockReason): void }, bus: EventBus): () => void {
  const remove = menu.add('file', { id: LOCK_VAULT_ITEM, label: 'Lock Vault', click: () => vault.lock('manual') })
  menu.setEnabled(LOCK_VAULT_ITEM, false)
  const unsubscribe = bus.subscribe((name, payload) => {
    if (name !== 'vault.changed') return
    const parsed = events['vault.changed'].payload.safeParse(payload)
    if (parsed.success) menu.setEnabled(LOCK_VAULT_ITEM, parsed.data.state === 'unlocked')
  })
  return () => {
    unsubscribe()
    remove()
  }
}
