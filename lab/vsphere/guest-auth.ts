// What every guest-operations call checks before it acts (reference §4–§6, seeds 002 and 004):
// the body's `credentials`, the VM's power, its Tools, and the guest account. A wrong guest
// password is 401 like an expired session; the body tells them apart (message id, no challenge).
import { z } from 'zod'
import { invalidArgument } from './filters'
import { toolsState, type Vm } from './inventory'
import { vmRef, type LabState } from './state'
import { toolsNotRunning, unsupported } from './vms'
import { message, VapiError } from './wire'

/** The lab guests' one password; accounts are root and demo (Linux) or Administrator (Windows). */
export const GUEST_PASSWORD = 'porthole-guest'
export const GUEST_USERS = { LINUX: ['root', 'demo'], WINDOWS: ['Administrator'] } as const

/**
 * The SAML bearer token the lab's guests accept (a real one comes from vCenter SSO and needs a
 * guest alias; the lab maps this one to the admin account, or to `user_name` when given).
 */
export const GUEST_SAML_TOKEN = 'porthole-lab-saml-bearer-token'

/** Message id the lab uses for bad guest credentials (real id UNCONFIRMED; the text is vSphere's). */
export const GUEST_AUTH_FAILED_ID = 'com.vmware.api.vcenter.vm.guest.credentials.invalid'

const Credentials = z.object({
  type: z.enum(['USERNAME_PASSWORD', 'SAML_BEARER_TOKEN']),
  interactive_session: z.boolean(),
  user_name: z.string().optional(),
  password: z.string().optional(),
  saml_token: z.string().optional(),
})

export interface GuestUser {
  name: string
  /** Whether the account may do anything (root / Administrator). */
  admin: boolean
}

/** Checks a guest call in vSphere's order; returns the guest account it runs as. */
export function authorizeGuest(state: LabState, vm: Vm, body: unknown): GuestUser {
  if (body === null || typeof body !== 'object' || !('credentials' in body)) {
    throw invalidArgument("The request body must have member 'credentials'.", 'credentials')
  }
  const parsed = Credentials.safeParse(body.credentials)
  if (!parsed.success) throw invalidArgument('The credentials structure is not valid.', 'credentials')
  const ref = vmRef(state, vm)
  if (vm.power !== 'POWERED_ON') {
    throw new VapiError('NOT_ALLOWED_IN_CURRENT_STATE', [
      message('com.vmware.api.vcenter.vm.guest.not_running', `Virtual machine '${ref}' is not running.`, ref),
    ])
  }
  const tools = toolsState(vm, state.faults.toolsNotRunningFraction)
  if (tools === 'not_running') throw toolsNotRunning(state, vm)
  if (tools === 'unsupported') throw unsupported(state, vm)
  if (vm.busy) {
    throw new VapiError('RESOURCE_BUSY', [message('com.vmware.api.vcenter.vm.busy', `Virtual machine with identifier '${ref}' is busy.`, ref)])
  }
  const c = parsed.data
  const users: readonly string[] = GUEST_USERS[vm.os.family]
  const windows = vm.os.family === 'WINDOWS'
  const wanted = c.type === 'SAML_BEARER_TOKEN' ? (c.user_name ?? users[0]) : c.user_name
  const name = users.find((u) => (windows ? u.toLowerCase() === wanted?.toLowerCase() : u === wanted))
  const secretOk = c.type === 'SAML_BEARER_TOKEN' ? c.saml_token === GUEST_SAML_TOKEN : c.password === GUEST_PASSWORD
  if (!name || !secretOk) {
    throw new VapiError('UNAUTHENTICATED', [
      message(GUEST_AUTH_FAILED_ID, 'Failed to authenticate with the guest operating system using the supplied credentials.'),
    ])
  }
  return { name, admin: name !== 'demo' }
}
