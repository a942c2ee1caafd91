// Building the ZStack provider from a saved profile (registry.ts: one line).
import type { ProviderInput } from '../registry'
import { PortholeError } from '../../../../contract/errors'
import { ZstackProvider } from './zstack-provider'

/** The provider of a saved ZStack profile; the profile's `user` is the account name. */
export function createZstackProvider(input: ProviderInput<'zstack'>): ZstackProvider {
  if (input.secret === undefined) throw new PortholeError('AUTH_FAILED', `The profile "${input.fields.name}" has no password saved.`)
  return new ZstackProvider({
    connectionId: input.id,
    baseUrl: input.fields.endpoint,
    accountName: input.fields.user,
    password: input.secret,
    dispatcher: input.dispatcher,
  })
}
