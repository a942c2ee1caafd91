import { PortholeError } from '../../../contract/errors'
import type { Handlers } from '../../../contract/serve'
import type { vaultCalls } from '../../../contract/vault'
import type { VaultService } from './vault-service'

/** Binds the vault's calls. Every reply is a VaultStatus: nothing secret ever goes back to the renderer. */
export function vaultHandlers(vault: VaultService): Handlers<typeof vaultCalls> {
  return {
    'vault.status': () => vault.status(),
    'vault.create': ({ password, confirm }) => {
      if (confirm !== undefined && confirm !== password) throw new PortholeError('INVALID_INPUT', 'The two passwords do not match.')
      return vault.create(password)
    },
    'vault.unlock': ({ password }) => vault.unlock(password),
    'vault.unlockQuick': () => vault.unlockQuick(),
    'vault.lock': () => {
      vault.lock('manual')
      return vault.status()
    },
    'vault.changePassword': ({ current, next }) => vault.changePassword(current, next),
    'vault.restoreBackup': ({ password }) => vault.restoreBackup(password),
    'vault.setAutoLock': ({ minutes }) => vault.setAutoLock(minutes),
    'vault.setQuickUnlock': ({ enabled }) => vault.setQuickUnlock(enabled),
  }
}
