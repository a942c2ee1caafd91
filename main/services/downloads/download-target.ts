// A VM's connection as a download needs it: the provider's guest file operations, the profile's
// TLS policy (the ESXi host is trusted under the VM's own profile, pinned per host:port) and a
// cheap read of the VM's power.
import { PortholeError } from '../../../contract/errors'
import type { VmRef } from '../../../contract/inventory'
import type { StoredProfile } from '../profiles/profile-records'
import { guestFileOpsOf } from '../providers/guest-files'
import type { InventoryProvider } from '../providers/registry'
import type { DownloadTarget } from './download-service'

/** The download target of a VM, from the inventory's live provider and the saved profile. */
export function downloadTarget(ref: VmRef, provider: InventoryProvider, profile: StoredProfile): DownloadTarget {
  const ops = guestFileOpsOf(provider)
  if (!ops) throw new PortholeError('UNSUPPORTED', `Downloading guest files is not available on ${provider.kind} connections.`, { detail: { kind: provider.kind } })
  const fields = profile.fields
  if (!('trust' in fields)) throw new PortholeError('UNSUPPORTED', `${fields.kind} connections have no TLS policy for downloads.`)
  const target: DownloadTarget = { ops, profileId: profile.id, policy: fields.trust }
  const vmPower = provider.vmPower?.bind(provider)
  if (vmPower) target.vmPower = (signal) => vmPower(ref.id, signal)
  return target
}
