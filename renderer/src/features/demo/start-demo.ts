import { PortholeError } from '../../../../contract/errors'
import { invoke } from '../../api'
import { notifyError, notifyInfo } from '../../store/notify'
import { openInventoryTab } from '../inventory/open-vm'
import { useInventory } from '../inventory/store'

let starting: Promise<void> | undefined

/** "Try the demo lab": main starts the lab, saves the Demo vCenter profile and connects it; the VMs tab opens. */
export function startDemo(): Promise<void> {
  starting ??= (async () => {
    try {
      useInventory.getState().start()
      const { connection } = await invoke('lab.startDemo', {})
      openInventoryTab()
      if (connection.phase === 'connecting') notifyInfo('The demo lab is running on this computer; its VMs are loading.')
    } catch (err) {
      // Locked: the vault's unlock screen is what the user sees next; a toast would only repeat it.
      if (err instanceof PortholeError && err.code === 'VAULT_LOCKED') return
      notifyError(err, 'Could not start the demo lab')
    } finally {
      starting = undefined
    }
  })()
  return starting
}
