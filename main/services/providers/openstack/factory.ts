// Building the OpenStack provider from a saved profile, and the profile's connection tester
// (main/services/profiles/connection-testers.ts). The host wires the tester:
// `host.profiles.testers.register('openstack', openstackConnectionTester((p) => host.trust.dispatcherFor(p.id, p.fields.trust)))`.
import type { Dispatcher } from 'undici'
import { PortholeError } from '../../../../contract/errors'
import type { ConnectionTester } from '../../profiles/connection-testers'
import type { StoredProfile } from '../../profiles/profile-records'
import type { KeystoneCredentials } from './keystone'
import { OpenstackProvider, type OpenstackProviderOptions } from './openstack-provider'

type OpenstackFields = Extract<StoredProfile['fields'], { kind: 'openstack' }>

/** Keystone credentials from a profile's fields and its secret (password or application credential secret). */
export function credentialsFrom(fields: OpenstackFields, secret: string): KeystoneCredentials {
  const user = {
    ...(fields.user !== undefined ? { username: fields.user } : {}),
    ...(fields.userDomainId !== undefined ? { userDomainId: fields.userDomainId } : {}),
    ...(fields.userDomainName !== undefined ? { userDomainName: fields.userDomainName } : {}),
  }
  if (fields.authType === 'application-credential') {
    return {
      method: 'application-credential',
      secret,
      ...user,
      ...(fields.applicationCredentialId !== undefined ? { id: fields.applicationCredentialId } : {}),
      ...(fields.applicationCredentialName !== undefined ? { name: fields.applicationCredentialName } : {}),
    }
  }
  return {
    method: 'password',
    password: secret,
    ...user,
    ...(fields.projectId !== undefined ? { projectId: fields.projectId } : {}),
    ...(fields.projectName !== undefined ? { projectName: fields.projectName } : {}),
    ...(fields.projectDomainId !== undefined ? { projectDomainId: fields.projectDomainId } : {}),
    ...(fields.projectDomainName !== undefined ? { projectDomainName: fields.projectDomainName } : {}),
  }
}

/** The provider for a saved OpenStack profile; `dispatcher` carries the profile's TLS trust. */
export function createOpenStackProvider(
  profile: Pick<StoredProfile, 'id' | 'fields'>,
  secret: string,
  dispatcher: Dispatcher,
  extra: Partial<Pick<OpenstackProviderOptions, 'timeoutMs' | 'pageSize' | 'renewBeforeMs' | 'maxMicroversion' | 'now'>> = {},
): OpenstackProvider {
  const fields = profile.fields
  if (fields.kind !== 'openstack') throw new PortholeError('INVALID_INPUT', `Profile ${profile.id} is not an OpenStack profile.`)
  return new OpenstackProvider({
    connectionId: profile.id,
    authUrl: fields.endpoint,
    credentials: credentialsFrom(fields, secret),
    interface: fields.interface,
    ...(fields.region !== undefined ? { region: fields.region } : {}),
    dispatcher,
    ...extra,
  })
}

/** A connection tester for kind 'openstack': logs in, reports where and as whom, revokes the token. */
export function openstackConnectionTester(dispatcherFor: (profile: StoredProfile) => Dispatcher): ConnectionTester {
  return {
    async test(profile, signal) {
      if (profile.secret === undefined) throw new PortholeError('AUTH_FAILED', 'The profile has no password or application credential secret saved.')
      const provider = createOpenStackProvider(profile, profile.secret, dispatcherFor(profile))
      await provider.login(signal)
      const s = provider.session
      await provider.logout(signal)
      const who = [s?.user, s?.project?.name].filter(Boolean).join(' / ')
      const version = s?.microversion ? `compute ${s.microversion}` : 'compute (no microversions)'
      return { message: `OpenStack ${version}${s?.region ? ` in ${s.region}` : ''} as ${who}` }
    },
  }
}
