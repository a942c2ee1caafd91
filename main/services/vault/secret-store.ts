import type { z } from 'zod'
import { PortholeError } from '../../../contract/errors'

/**
 * What services see of the vault: named sections of JSON, each owned by one service
 * ('profiles', 'tls.pins', 'guest.credentials', …). Reading or writing while locked throws
 * VAULT_LOCKED. Writes are serialized and durable when the promise resolves.
 */
export interface SecretStore {
  isUnlocked(): boolean
  /** The section's value parsed with `schema`, or undefined when the section was never written. */
  read<T>(section: string, schema: z.ZodType<T>): T | undefined
  write(section: string, value: unknown): Promise<void>
  /** Called after the vault locks (key zeroed); services drop sessions and caches here. */
  onLock(listener: () => void): () => void
}

/** An unlocked in-memory store, for tests of services that keep data in the vault. */
export function memorySecretStore(): SecretStore & { lock(): void; unlock(): void } {
  const sections = new Map<string, string>()
  const listeners = new Set<() => void>()
  let unlocked = true
  const ensure = (): void => {
    if (!unlocked) throw new PortholeError('VAULT_LOCKED', 'The vault is locked.')
  }
  return {
    isUnlocked: () => unlocked,
    read(section, schema) {
      ensure()
      const raw = sections.get(section)
      return raw === undefined ? undefined : schema.parse(JSON.parse(raw))
    },
    async write(section, value) {
      ensure()
      sections.set(section, JSON.stringify(value))
    },
    onLock(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    lock() {
      unlocked = false
      for (const l of listeners) l()
    },
    unlock() {
      unlocked = true
    },
  }
}
