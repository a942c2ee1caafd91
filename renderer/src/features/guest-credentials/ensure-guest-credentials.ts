// "One dialog for both" (processes, guest files): a guest call is run through
// `ensureGuestCredentials`; when main answers GUEST_AUTH_FAILED (none given yet, or the guest
// refused them) the credentials dialog opens for that VM, and the call is tried again once the
// user gave new ones. Cancelling the dialog fails the call with CANCELLED. Several calls for the
// same VM waiting at once share one dialog.
import { isPortholeError, PortholeError } from '../../../../contract/errors'
import { GuestAuthReason, type GuestCredentialStatus } from '../../../../contract/guest'
import type { VmRef } from '../../../../contract/inventory'
import { invoke } from '../../api'
import { useGuestCredentials } from './store'

const keyOf = (vm: VmRef): string => `${vm.connectionId}/${vm.id}`

/** Dialogs shown now, by VM: every waiter of the same VM awaits the same answer. */
const asking = new Map<string, { promise: Promise<boolean>; settle(given: boolean): void }>()

/** Opens the dialog for `vm` (or joins the one open); resolves true when credentials were given, false when cancelled. */
export function askGuestCredentials(vm: VmRef, vmName: string, reason: GuestAuthReason, message?: string, status?: GuestCredentialStatus): Promise<boolean> {
  const key = keyOf(vm)
  const open = asking.get(key)
  if (open) return open.promise
  let settle!: (given: boolean) => void
  const promise = new Promise<boolean>((resolve) => (settle = resolve))
  asking.set(key, {
    promise,
    settle: (given) => {
      asking.delete(key)
      useGuestCredentials.setState(({ queue }) => ({ queue: queue.filter((r) => r.key !== key) }))
      settle(given)
    },
  })
  const request = { key, vm, vmName, reason, status: status ?? { known: false, remembered: false }, ...(message !== undefined ? { message } : {}) }
  useGuestCredentials.setState(({ queue }) => ({ queue: [...queue, request] }))
  return promise
}

/** The dialog's answer for a VM: true after guest.credentials.set worked, false on cancel. */
export function answerGuestCredentials(vm: VmRef, given: boolean): void {
  asking.get(keyOf(vm))?.settle(given)
}

/** Whether an error means "ask for guest credentials", and why. */
export function guestAuthReason(err: unknown): GuestAuthReason | undefined {
  if (!isPortholeError(err) || err.code !== 'GUEST_AUTH_FAILED') return undefined
  const reason = GuestAuthReason.safeParse(err.detail?.reason)
  return reason.success ? reason.data : 'rejected'
}

/**
 * Runs a guest call for `vm`; on GUEST_AUTH_FAILED asks for credentials in the dialog and tries
 * again, as often as the user keeps answering. Other errors pass through.
 */
export async function ensureGuestCredentials<T>(vm: VmRef, vmName: string, run: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await run()
    } catch (err) {
      const reason = guestAuthReason(err)
      if (reason === undefined) throw err
      const status = await invoke('guest.credentials.status', { vm }).catch(() => undefined)
      const given = await askGuestCredentials(vm, vmName, reason, reason === 'rejected' ? (err as PortholeError).message : undefined, status)
      if (!given) throw new PortholeError('CANCELLED', 'No guest credentials were given.')
    }
  }
}
