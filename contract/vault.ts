import { z } from 'zod'
import { call, event } from './define'

/** Longest master password main accepts: enough for any passphrase, small enough that the KDF input stays bounded. */
export const MAX_PASSWORD_LENGTH = 1024
/** Shortest master password for a new vault (the UI also shows a strength meter). */
export const MIN_PASSWORD_LENGTH = 8

/** A password typed to check it (unlock, current password): any non-empty string. */
const EnteredPassword = z.string().min(1).max(MAX_PASSWORD_LENGTH)
/** A password being chosen (create, change). */
const NewPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `The master password needs at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(MAX_PASSWORD_LENGTH)

export const VaultState = z.enum(['absent', 'locked', 'unlocked'])
export type VaultState = z.infer<typeof VaultState>

/** Why the vault locked. */
export const LockReason = z.enum(['idle', 'manual', 'screen-lock', 'suspend'])
export type LockReason = z.infer<typeof LockReason>

/** Minutes of idle before auto-lock; 0 means never. */
export const AutoLockMinutes = z.number().int().min(0).max(1440)

/** What the renderer may know about the vault: never a key, a password or a section. */
export const VaultStatus = z.strictObject({
  state: VaultState,
  autoLockMinutes: AutoLockMinutes,
  quickUnlock: z.strictObject({
    available: z.boolean(),
    enabled: z.boolean(),
    /** Why quick unlock is not available, in the user's words. */
    reason: z.string().optional(),
  }),
  /** Set while wrong passwords are backing off: the next attempt is refused until then. */
  retryAfterMs: z.number().int().nonnegative().optional(),
  /** The previous generation kept beside the vault, offered when the vault is damaged. */
  backup: z.strictObject({ available: z.boolean(), savedAt: z.string().optional() }).optional(),
})
export type VaultStatus = z.infer<typeof VaultStatus>

const Empty = z.strictObject({})

export const vaultCalls = {
  'vault.status': call('Whether a vault exists and is unlocked, and its lock settings.', Empty, VaultStatus),
  'vault.create': call(
    'Create the vault with a master password (the UI asks for it twice) and unlock it.',
    z.strictObject({ password: NewPassword, confirm: z.string().max(MAX_PASSWORD_LENGTH).optional() }),
    VaultStatus,
  ),
  'vault.unlock': call('Unlock with the master password.', z.strictObject({ password: EnteredPassword }), VaultStatus),
  'vault.unlockQuick': call('Unlock with the key kept in the OS keychain (quick unlock).', Empty, VaultStatus),
  'vault.lock': call('Lock now: the key is wiped from memory, sessions and consoles close.', Empty, VaultStatus),
  'vault.changePassword': call(
    'Change the master password (the vault must be unlocked and the current password given).',
    z.strictObject({ current: EnteredPassword, next: NewPassword }),
    VaultStatus,
  ),
  'vault.restoreBackup': call(
    'Replace a damaged vault with the previous generation kept beside it, and unlock it.',
    z.strictObject({ password: EnteredPassword }),
    VaultStatus,
  ),
  'vault.setAutoLock': call(
    'Minutes of idle before the vault locks itself (0 = never).',
    z.strictObject({ minutes: AutoLockMinutes }),
    VaultStatus,
  ),
  'vault.setQuickUnlock': call(
    'Turn quick unlock through the OS keychain on or off.',
    z.strictObject({ enabled: z.boolean() }),
    VaultStatus,
  ),
}

export const vaultEvents = {
  'vault.changed': event(
    'The vault was created, unlocked or locked (with why it locked).',
    z.strictObject({ state: VaultState, reason: LockReason.optional() }),
  ),
}
