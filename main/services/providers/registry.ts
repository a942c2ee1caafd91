// Profile kind → the factory that builds its Provider. Adding a provider is one line in
// `providerFactories`; the host also registers each one as its kind's connection tester.
import type { Dispatcher } from 'undici'
import { PortholeError } from '../../../contract/errors'
import type { PowerState } from '../../../contract/inventory'
import type { ProfileFields, ProfileKind } from '../../../contract/profiles'
import type { ConnectionTesters } from '../profiles/connection-testers'
import type { StoredProfile } from '../profiles/profile-records'
import type { TrustStore } from '../tls/trust-store'
import type { Provider } from './provider'
import { createOpenStackProvider } from './openstack/factory'
import { createVncProvider } from './vnc/vnc-provider'
import { VsphereProvider } from './vsphere/vsphere-provider'
import { createZstackProvider } from './zstack/factory'

/** What a factory gets: the saved profile, its secret (main only) and the profile's TLS dispatcher. */
export interface ProviderInput<K extends ProfileKind = ProfileKind> {
  id: string
  fields: Extract<ProfileFields, { kind: K }>
  secret: string | undefined
  dispatcher: Dispatcher
}

/** One VM's power and, when the provider has one, its own status (as `Vm.status`). */
export interface VmStatus {
  power: PowerState
  status?: string
}

/**
 * A provider as the inventory drives it: the common interface, plus optional cheap reads of one
 * VM, used to confirm a power action without listing everything again: its power, or its power
 * with the provider's status (read once any change under way has ended; `progress` hears the
 * states read on the way, such as Nova's 'ACTIVE · powering-off').
 */
export type InventoryProvider = Provider & {
  vmPower?(vmId: string, signal: AbortSignal): Promise<PowerState>
  vmStatus?(vmId: string, signal: AbortSignal, progress?: (state: VmStatus) => void): Promise<VmStatus>
}

/** vCenter's names of the power states (its status in the inventory). */
const VSPHERE_STATUS: Partial<Record<PowerState, string>> = { on: 'POWERED_ON', off: 'POWERED_OFF', suspended: 'SUSPENDED' }

export type ProviderFactory<K extends ProfileKind = ProfileKind> = (input: ProviderInput<K>) => InventoryProvider

function needSecret(input: ProviderInput<ProfileKind>): string {
  if (input.secret === undefined) throw new PortholeError('AUTH_FAILED', `The profile "${input.fields.name}" has no password saved.`)
  return input.secret
}

const vsphere: ProviderFactory<'vsphere'> = (input) => {
  const provider = new VsphereProvider({
    connectionId: input.id,
    baseUrl: input.fields.endpoint,
    username: input.fields.user,
    password: needSecret(input as ProviderInput),
    dispatcher: input.dispatcher,
  })
  const vmPower = async (vmId: string, signal: AbortSignal): Promise<PowerState> => (await provider.getVm(vmId, signal)).power
  return Object.assign(provider, {
    vmPower,
    vmStatus: async (vmId: string, signal: AbortSignal): Promise<VmStatus> => {
      const power = await vmPower(vmId, signal)
      const status = VSPHERE_STATUS[power]
      return status === undefined ? { power } : { power, status }
    },
  })
}

/** Extension point: one line per provider kind. */
export const providerFactories: { [K in ProfileKind]?: ProviderFactory<K> } = {
  vsphere,
  openstack: (input) => createOpenStackProvider({ id: input.id, fields: input.fields }, needSecret(input as ProviderInput), input.dispatcher),
  zstack: createZstackProvider,
}

/** Builds the provider of a saved profile with that profile's TLS trust; UNSUPPORTED for kinds without one yet. */
export function createProvider(profile: StoredProfile, trust: TrustStore): InventoryProvider {
  const fields = profile.fields
  // A plain VNC host is a one-VM inventory of its own: no TLS, no API, raw TCP to its console.
  if (fields.kind === 'vnc') return createVncProvider({ id: profile.id, fields, secret: profile.secret })
  const factory = providerFactories[fields.kind] as ProviderFactory | undefined
  if (!factory) {
    throw new PortholeError('UNSUPPORTED', `Connecting to ${fields.kind} arrives with its provider.`, { detail: { kind: fields.kind } })
  }
  if (!('trust' in fields)) throw new PortholeError('UNSUPPORTED', `${profile.fields.kind} profiles have no inventory provider.`)
  return factory({ id: profile.id, fields, secret: profile.secret, dispatcher: trust.dispatcherFor(profile.id, fields.trust) })
}

/** Registers every provider in `providerFactories` as the connection tester of its kind: log in, log out. */
export function registerConnectionTesters(testers: ConnectionTesters, trust: TrustStore): () => void {
  const removers = ([...Object.keys(providerFactories), 'vnc'] as ProfileKind[]).map((kind) =>
    testers.register(kind, {
      async test(profile, signal) {
        const provider = createProvider(profile, trust)
        await provider.login(signal)
        await provider.logout(signal).catch(() => undefined)
        const who = 'user' in profile.fields && profile.fields.user !== undefined ? ` as ${profile.fields.user}` : ''
        const where = 'endpoint' in profile.fields ? new URL(profile.fields.endpoint).host : ''
        return { message: `Signed in to ${where}${who}.` }
      },
    }),
  )
  return () => removers.forEach((remove) => remove())
}
