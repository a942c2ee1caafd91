import crypto from 'node:crypto'
import type { z } from 'zod'
import { PortholeError } from '../../../contract/errors'
import {
  ProfileFields,
  type ConnectionTestResult,
  type ProfileInput,
  type ProfileKind,
  type ProfileList,
  type ProfilePatch,
  type ProfileSummary,
} from '../../../contract/profiles'
import type { Log } from '../log/log'
import type { SecretStore } from '../vault/secret-store'
import type { ConnectionTesters } from './connection-testers'
import {
  PROFILES_SECTION,
  ProfilesSection,
  sameName,
  toList,
  toSummary,
  uniqueName,
  type StoredProfile,
} from './profile-records'

export interface ProfileServiceOptions {
  store: SecretStore
  log: Log
  testers: ConnectionTesters
  /** Called with the new list after every change. */
  onChange: (list: ProfileList) => void
  /** Hands every secret the service holds to the log redactor, so it can never be logged. */
  onSecret?: (secret: string) => void
  now?: () => Date
  /** How long `test` may take before it fails with TIMEOUT. */
  testTimeoutMs?: number
  /** After a profile is deleted: drop what others keep for it (TLS pins). Failures are logged, not thrown. */
  onRemoved?: (id: string) => Promise<unknown> | void
}

/** The contract's input types after parsing (defaults applied). */
export type ProfileInputValue = z.output<typeof ProfileInput>
export type ProfilePatchValue = z.output<typeof ProfilePatch>

export interface ProfileService {
  /** Every profile, without secrets. */
  list(): ProfileSummary[]
  /** One profile, without its secret; NOT_FOUND when there is none. */
  get(id: string): ProfileSummary
  /** Saves a new profile; CONFLICT when the name is taken. */
  add(input: ProfileInputValue): Promise<ProfileSummary>
  /** Applies a patch of the profile's own kind; an absent secret keeps the stored one. */
  update(id: string, patch: ProfilePatchValue): Promise<ProfileSummary>
  /** Copies a profile, secret included, as "<name> (copy)". */
  duplicate(id: string): Promise<ProfileSummary>
  /** Deletes a profile (the UI has already asked the user). */
  remove(id: string): Promise<void>
  /** Asks the kind's registered tester to log in; UNSUPPORTED until its provider registers one. */
  test(id: string, signal: AbortSignal): Promise<ConnectionTestResult>
  /** Main only: one profile with its secret (providers log in with it). */
  profile(id: string): StoredProfile
  /** Main only: every profile with secrets (export). */
  profiles(): StoredProfile[]
  /**
   * Main only: runs `change` on the current profiles under the write lock and saves the list
   * it returns, all or nothing (import uses this to apply a preview in one write).
   */
  mutate<T>(change: (current: StoredProfile[], now: string) => { next: StoredProfile[]; result: T }): Promise<T>
}

const KIND_NAMES: Record<ProfileKind, string> = {
  vsphere: 'vSphere',
  openstack: 'OpenStack',
  zstack: 'ZStack',
  vnc: 'VNC',
}

const DEFAULT_TEST_TIMEOUT_MS = 30_000

function notFound(id: string): PortholeError {
  return new PortholeError('NOT_FOUND', 'There is no such profile.', { detail: { id } })
}

function nameTaken(name: string): PortholeError {
  return new PortholeError('CONFLICT', `A profile named "${name}" already exists.`, { detail: { field: 'name' } })
}

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 10).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
}

/** Splits a validated add request into the stored fields and the secret. */
function splitInput(input: ProfileInputValue): { fields: ProfileFields; secret: string | undefined } {
  const { secret, ...rest } = input
  return { fields: ProfileFields.parse(rest), secret }
}

/** Profiles kept in the vault section 'profiles'; secrets never leave this service except to main-side callers. */
export function createProfileService(options: ProfileServiceOptions): ProfileService {
  const { store, testers } = options
  const now = options.now ?? (() => new Date())
  let writing: Promise<unknown> = Promise.resolve()

  function read(): StoredProfile[] {
    const profiles = store.read(PROFILES_SECTION, ProfilesSection)?.profiles ?? []
    if (options.onSecret) for (const p of profiles) if (p.secret !== undefined) options.onSecret(p.secret)
    return profiles
  }

  function find(profiles: StoredProfile[], id: string): StoredProfile {
    const found = profiles.find((p) => p.id === id)
    if (!found) throw notFound(id)
    return found
  }

  function ensureNameFree(profiles: StoredProfile[], name: string, exceptId?: string): void {
    if (profiles.some((p) => p.id !== exceptId && sameName(p.fields.name, name))) throw nameTaken(name)
  }

  // Read-modify-write under one lock: two quick edits must not lose one another.
  function mutate<T>(change: (current: StoredProfile[], at: string) => { next: StoredProfile[]; result: T }): Promise<T> {
    const run = writing.then(async () => {
      const { next, result } = change(read(), now().toISOString())
      await store.write(PROFILES_SECTION, { version: 1, profiles: next } satisfies ProfilesSection)
      options.onChange(toList(next))
      return result
    })
    writing = run.catch(() => undefined)
    return run
  }

  return {
    list: () => read().map(toSummary),
    get: (id) => toSummary(find(read(), id)),
    profile: (id) => find(read(), id),
    profiles: read,
    mutate,

    add(input) {
      const { fields, secret } = splitInput(input)
      if (secret !== undefined) options.onSecret?.(secret)
      return mutate((current, at) => {
        ensureNameFree(current, fields.name)
        const profile: StoredProfile = { id: crypto.randomUUID(), fields, createdAt: at, updatedAt: at }
        if (secret !== undefined) profile.secret = secret
        return { next: [...current, profile], result: toSummary(profile) }
      })
    },

    update(id, patch) {
      const { secret, clearSecret, ...changes } = patch
      if (secret !== undefined) options.onSecret?.(secret)
      return mutate((current, at) => {
        const existing = find(current, id)
        if (changes.kind !== existing.fields.kind) {
          throw new PortholeError('INVALID_INPUT', `This is a ${existing.fields.kind} profile; its kind cannot change.`)
        }
        const merged: Record<string, unknown> = { ...existing.fields }
        for (const [key, value] of Object.entries(changes)) {
          if (value === null) delete merged[key]
          else if (value !== undefined) merged[key] = value
        }
        const parsed = ProfileFields.safeParse(merged)
        if (!parsed.success) {
          throw new PortholeError('INVALID_INPUT', 'The changed profile is not valid.', { detail: { issues: issuesOf(parsed.error) } })
        }
        ensureNameFree(current, parsed.data.name, id)
        const updated: StoredProfile = { id, fields: parsed.data, createdAt: existing.createdAt, updatedAt: at }
        const keptSecret = clearSecret === true ? undefined : (secret ?? existing.secret)
        if (keptSecret !== undefined) updated.secret = keptSecret
        return { next: current.map((p) => (p.id === id ? updated : p)), result: toSummary(updated) }
      })
    },

    duplicate(id) {
      return mutate((current, at) => {
        const source = find(current, id)
        const base = `${source.fields.name.slice(0, 120 - ' (copy)'.length)} (copy)`
        const name = uniqueName(base, current.map((p) => p.fields.name))
        const copy: StoredProfile = {
          id: crypto.randomUUID(),
          fields: { ...source.fields, name },
          createdAt: at,
          updatedAt: at,
        }
        if (source.secret !== undefined) copy.secret = source.secret
        return { next: [...current, copy], result: toSummary(copy) }
      })
    },

    async remove(id) {
      await mutate((current) => {
        find(current, id)
        return { next: current.filter((p) => p.id !== id), result: undefined }
      })
      try {
        await options.onRemoved?.(id)
      } catch (err) {
        options.log.warn('cleanup after deleting a profile failed', { id, error: err instanceof Error ? err.message : String(err) })
      }
    },

    async test(id, signal) {
      const profile = find(read(), id)
      const kind = profile.fields.kind
      const tester = testers.get(kind)
      if (!tester) {
        throw new PortholeError('UNSUPPORTED', `Testing a connection arrives with the ${KIND_NAMES[kind]} provider.`, {
          detail: { kind },
        })
      }
      const timeoutMs = options.testTimeoutMs ?? DEFAULT_TEST_TIMEOUT_MS
      const timeout = AbortSignal.timeout(timeoutMs)
      const started = performance.now()
      try {
        const { message } = await tester.test(profile, AbortSignal.any([signal, timeout]))
        return { message: message.slice(0, 1000), durationMs: Math.round(performance.now() - started) }
      } catch (err) {
        if (timeout.aborted && !signal.aborted) {
          throw new PortholeError('TIMEOUT', `The server did not answer within ${Math.round(timeoutMs / 1000)} s.`, { cause: err })
        }
        throw err
      }
    },
  }
}
