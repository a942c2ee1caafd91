// The demo lab's guests sign in with published credentials (lab/vsphere/guest-auth.ts); the
// credentials dialog says so for the demo's VMs, so a new user trying the demo is not stuck.
import { GUEST_PASSWORD, GUEST_SAML_TOKEN, GUEST_USERS } from '../../../lab/vsphere/guest-auth'

/** What the dialog shows for a VM of the demo lab. */
export const DEMO_GUEST_HINT =
  `Demo lab guests: user ${GUEST_USERS.LINUX[0]} (Linux) or ${GUEST_USERS.WINDOWS[0]} (Windows), password ${GUEST_PASSWORD}` +
  ` (SAML token: ${GUEST_SAML_TOKEN}).`
