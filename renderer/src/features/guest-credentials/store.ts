import { create } from 'zustand'
import type { GuestAuthReason, GuestCredentialStatus } from '../../../../contract/guest'
import type { VmRef } from '../../../../contract/inventory'

/** The dialog the user is asked to fill: which VM, why, and what main already knows (user name). */
export interface CredentialsRequest {
  vm: VmRef
  /** For the title: "Guest credentials for web-01". */
  vmName: string
  reason: GuestAuthReason
  /** The guest's own words when it refused the last ones. */
  message?: string
  status: GuestCredentialStatus
}

interface GuestCredentialsState {
  /** Open dialogs, one per VM; the first is shown. */
  queue: readonly (CredentialsRequest & { key: string })[]
}

export const useGuestCredentials = create<GuestCredentialsState>()(() => ({ queue: [] }))
