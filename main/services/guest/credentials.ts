// Guest OS credentials, per VM (DESIGN.md "Guest operations"): given by the user in a dialog,
// held in main for the session, and, when the user asked to remember them, saved in the vault
// section 'guest.credentials' under the VM's connection and id — but only after a guest call
// has worked with them, so a mistyped password is never saved. A guest that refuses them drops
// them (from the vault too) and the caller learns GUEST_AUTH_FAILED with reason 'rejected'.
// The renderer gets back whether they are known and remembered, and the user name; never the secret.
import { z } from 'zod'
import { PortholeError } from '../../../contract/errors'
import type { GuestAuthReason, GuestCredentialInput, GuestCredentialStatus, GuestCredentialType } from '../../../contract/guest'
import type { VmRef } from '../../../contract/inventory'
import type { Log } from '../log/log'
import type { GuestCredentials } from '../providers/provider'
import type { SecretStore } from '../vault/secret-store'

export const GUEST_CREDENTIALS_SECTION = 'guest.credentials'

const Stored = z.strictObject({
  type: z.enum(['password', 'saml']),
  user: z.string(),
  secret: z.string(),
  savedAt: z.string(),
})
const Section = z.strictObject({
  version: z.literal(1),
  /** Keyed by `vmKey(ref)`. */
  entries: z.record(z.string(), Stored),
})
type Section = z.infer<typeof Section>

interface Held {
  type: GuestCredentialType
  user: string
  credentials: GuestCredentials
  /** The user asked to keep them in the vault. */
  remember: boolean
  /** They are in the vault now. */
  persisted: boolean
}

/** A VM's key in the section: its connection and id, unambiguous whatever characters they hold. */
export function vmKey(ref: VmRef): string {
  return JSON.stringify([ref.connectionId, ref.id])
}

export interface GuestCredentialsOptions {
  store: SecretStore
  log: Log
  /** Each secret given or loaded, so the log redactor masks it. */
  onSecret?: (secret: string) => void
  /** A hint for the dialog about where to find a VM's credentials (the demo lab's), if any. */
  hint?: (ref: VmRef) => string | undefined
  now?: () => Date
}

export interface GuestCredentialsService {
  /** Whether credentials are held for the VM, remembered, and for which user. */
  status(ref: VmRef): GuestCredentialStatus
  /** Takes the dialog's credentials for the VM (saved once they worked if `remember`; `remember: false` removes a saved copy). */
  set(input: GuestCredentialInput): Promise<GuestCredentialStatus>
  /** Drops the VM's credentials from the session and the vault. */
  forget(ref: VmRef): Promise<GuestCredentialStatus>
  /** Drops every saved credential of a connection (its profile was deleted). */
  forgetConnection(connectionId: string): Promise<void>
  /**
   * Runs a guest operation with the VM's credentials. GUEST_AUTH_FAILED (reason 'missing') when
   * there are none; when the guest refuses them they are dropped and the error's reason is
   * 'rejected'; when the operation works, credentials waiting to be remembered are saved.
   */
  use<T>(ref: VmRef, operation: (credentials: GuestCredentials, user: string) => Promise<T>): Promise<T>
  dispose(): void
}

function authError(reason: GuestAuthReason, message: string, cause?: unknown): PortholeError {
  return new PortholeError('GUEST_AUTH_FAILED', message, { detail: { reason }, retryable: false, cause })
}

export function createGuestCredentials(options: GuestCredentialsOptions): GuestCredentialsService {
  const { store, log } = options
  const now = options.now ?? (() => new Date())
  const held = new Map<string, Held>()
  // Read-modify-write of the section, one at a time, so two saves never lose each other.
  let writing: Promise<unknown> = Promise.resolve()

  const stopOnLock = store.onLock(() => held.clear())

  const section = (): Section => store.read(GUEST_CREDENTIALS_SECTION, Section) ?? { version: 1, entries: {} }

  const edit = (change: (s: Section) => void): Promise<void> => {
    const next = writing.then(async () => {
      const s = section()
      change(s)
      await store.write(GUEST_CREDENTIALS_SECTION, s)
    })
    writing = next.catch(() => undefined)
    return next
  }

  const fromVault = (key: string): Held | undefined => {
    if (!store.isUnlocked()) return undefined
    const entry = section().entries[key]
    if (!entry) return undefined
    options.onSecret?.(entry.secret)
    const credentials: GuestCredentials =
      entry.type === 'saml' ? { username: entry.user, password: '', samlToken: entry.secret } : { username: entry.user, password: entry.secret }
    return { type: entry.type, user: entry.user, credentials, remember: true, persisted: true }
  }

  const lookup = (key: string): Held | undefined => {
    let h = held.get(key)
    if (!h) {
      h = fromVault(key)
      if (h) held.set(key, h)
    }
    return h
  }

  const statusOf = (h: Held | undefined, ref?: VmRef): GuestCredentialStatus => {
    const status: GuestCredentialStatus = h ? { known: true, remembered: h.persisted, type: h.type, user: h.user } : { known: false, remembered: false }
    const hint = ref && options.hint?.(ref)
    if (hint) status.hint = hint
    return status
  }

  const save = async (key: string, h: Held): Promise<void> => {
    const secret = h.type === 'saml' ? (h.credentials.samlToken ?? '') : h.credentials.password
    await edit((s) => {
      s.entries[key] = { type: h.type, user: h.user, secret, savedAt: now().toISOString() }
    })
    h.persisted = true
  }

  const unsave = (key: string): Promise<void> =>
    edit((s) => {
      delete s.entries[key]
    })

  return {
    status(ref) {
      return statusOf(lookup(vmKey(ref)), ref)
    },

    async set(input) {
      if (!store.isUnlocked()) throw new PortholeError('VAULT_LOCKED', 'Unlock the vault to give guest credentials.')
      const key = vmKey(input.vm)
      const secret = input.type === 'saml' ? input.samlToken : input.password
      if (secret !== '') options.onSecret?.(secret)
      const user = input.user ?? ''
      const credentials: GuestCredentials =
        input.type === 'saml' ? { username: user, password: '', samlToken: input.samlToken } : { username: user, password: input.password }
      const previous = lookup(key)
      const h: Held = { type: input.type, user, credentials, remember: input.remember, persisted: false }
      held.set(key, h)
      // New credentials replace a saved copy only once they work; "don't remember" removes it now.
      if (previous?.persisted && !input.remember) await unsave(key)
      else if (previous?.persisted) h.persisted = false
      log.info('guest: credentials given', { vm: input.vm.id, connectionId: input.vm.connectionId, type: input.type, remember: input.remember })
      return statusOf(h)
    },

    async forget(ref) {
      const key = vmKey(ref)
      held.delete(key)
      if (store.isUnlocked() && section().entries[key]) await unsave(key)
      return statusOf(undefined)
    },

    async forgetConnection(connectionId) {
      for (const key of [...held.keys()]) if ((JSON.parse(key) as string[])[0] === connectionId) held.delete(key)
      if (!store.isUnlocked()) return
      const keys = Object.keys(section().entries).filter((k) => (JSON.parse(k) as string[])[0] === connectionId)
      if (keys.length > 0) await edit((s) => keys.forEach((k) => delete s.entries[k]))
    },

    async use(ref, operation) {
      const key = vmKey(ref)
      const h = lookup(key)
      if (!h) throw authError('missing', 'Porthole needs the guest operating system\'s credentials for this VM.')
      let result: Awaited<ReturnType<typeof operation>>
      try {
        result = await operation(h.credentials, h.user)
      } catch (err) {
        if (err instanceof PortholeError && err.code === 'GUEST_AUTH_FAILED') {
          // Only if nobody gave new ones meanwhile: a late failure must not drop fresh credentials.
          if (held.get(key) === h) {
            held.delete(key)
            if (h.persisted) await unsave(key).catch((e: unknown) => log.warn('guest: could not remove refused credentials from the vault', { error: String(e) }))
          }
          throw authError('rejected', err.message || 'The guest operating system refused the credentials.', err)
        }
        throw err
      }
      if (h.remember && !h.persisted && held.get(key) === h) {
        await save(key, h).catch((e: unknown) => log.warn('guest: could not save credentials in the vault', { error: e instanceof Error ? e.message : String(e) }))
      }
      return result
    },

    dispose() {
      stopOnLock()
      held.clear()
    },
  }
}
