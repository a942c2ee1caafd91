import type { guestCalls } from '../../../contract/guest'
import type { Handlers } from '../../../contract/serve'
import type { GuestCredentialsService } from './credentials'
import type { GuestProcessesService } from './processes'

/** Binds guest credentials and processes to the contract's guest.* calls. */
export function guestHandlers(credentials: GuestCredentialsService, processes: GuestProcessesService): Handlers<typeof guestCalls> {
  return {
    'guest.credentials.status': ({ vm }) => credentials.status(vm),
    'guest.credentials.set': (input) => credentials.set(input),
    'guest.credentials.forget': ({ vm }) => credentials.forget(vm),
    'guest.processes.list': ({ vm, since }, ctx) => processes.list(vm, since, ctx.signal),
    'guest.processes.get': ({ vm, pid }, ctx) => processes.get(vm, pid, ctx.signal),
    'guest.processes.create': (spec, ctx) => processes.create(spec, ctx.signal),
    'guest.processes.kill': async ({ vm, pid }, ctx) => {
      await processes.kill(vm, pid, ctx.signal)
      return { ok: true as const }
    },
  }
}
