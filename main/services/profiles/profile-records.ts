import { z } from 'zod'
import {
  ProfileFields,
  ProfileId,
  ProfileSecret,
  type ProfileList,
  type ProfileSummary,
} from '../../../contract/profiles'

/** The vault section this service owns. */
export const PROFILES_SECTION = 'profiles'

/** A saved profile as the vault holds it: its fields, its secret, and bookkeeping. Never sent to the renderer. */
export const StoredProfile = z.strictObject({
  id: ProfileId,
  fields: ProfileFields,
  secret: ProfileSecret.optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
})
export type StoredProfile = z.infer<typeof StoredProfile>

export const ProfilesSection = z.strictObject({
  version: z.literal(1),
  profiles: z.array(StoredProfile),
})
export type ProfilesSection = z.infer<typeof ProfilesSection>

/** What the renderer may see of a profile: everything but the secret. */
export function toSummary(profile: StoredProfile): ProfileSummary {
  return {
    ...profile.fields,
    id: profile.id,
    hasSecret: profile.secret !== undefined,
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
  }
}

export function toList(profiles: readonly StoredProfile[]): ProfileList {
  return { profiles: profiles.map(toSummary) }
}

/** Names compare without case and surrounding space: "Lab" and "lab " would confuse anyone. */
export function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase()
}

/**
 * `base`, or `base (2)`, `base (3)`… whichever no profile in `taken` has; cut to the
 * 120-character name limit so the suffix always fits.
 */
export function uniqueName(base: string, taken: readonly string[]): string {
  const clash = (name: string): boolean => taken.some((t) => sameName(t, name))
  if (!clash(base)) return base
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`
    const name = base.slice(0, 120 - suffix.length).trimEnd() + suffix
    if (!clash(name)) return name
  }
}

/**
 * The server and account a profile logs into, normalized: two profiles with the same key
 * are the same connection under different names. Application credentials by id count as
 * the account when there is no user name.
 */
export function endpointUserKey(fields: ProfileFields): string {
  if (fields.kind === 'vnc') return `vnc://${fields.host.toLowerCase()}:${fields.port}|`
  const url = new URL(fields.endpoint)
  const where = `${url.protocol}//${url.host.toLowerCase()}${url.pathname.replace(/\/+$/, '')}`
  const who = fields.kind === 'openstack' ? (fields.user ?? fields.applicationCredentialId ?? '') : fields.user
  return `${where}|${who.toLowerCase()}`
}
