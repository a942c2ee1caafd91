// The demo lab (DESIGN.md "The lab"): simulated servers started inside Porthole's own main
// process, so a new user sees VMs without an account.
import { z } from 'zod'
import { call } from './define'
import { ConnectionState } from './inventory'

export const labCalls = {
  'lab.startDemo': call(
    'Start the demo lab (once), save or reuse the "Demo vCenter" profile with its certificate pinned, and connect it. VAULT_LOCKED when locked.',
    z.strictObject({}),
    z.strictObject({ profileId: z.string(), connection: ConnectionState }),
  ),
}
