import { PortholeError } from '../../../contract/errors'
import type { VaultStatus } from '../../../contract/vault'
import { decodeQuickFile, encodeQuickFile, type KeyProtector } from './key-protector'
import type { SaveQueue } from './save-queue'
import { exists, readIfExists, removeFile, writeFileAtomic } from './vault-file'

/**
 * Quick unlock: the data key protected by the OS keychain, in its own file (vault.quick).
 * Turning it off deletes the file; a key the keychain or the vault no longer accepts turns
 * it off too, so the user is sent to the master password once instead of failing forever.
 */
export class QuickUnlock {
  constructor(
    private readonly protector: KeyProtector,
    private readonly file: string,
    private readonly saves: SaveQueue,
  ) {}

  /** What status() shows. */
  async state(): Promise<VaultStatus['quickUnlock']> {
    const availability = this.protector.available()
    if (!availability.ok) return { available: false, enabled: false, reason: availability.reason }
    return { available: true, enabled: await exists(this.file) }
  }

  /** The data key from the keychain (the caller zeroes it): UNSUPPORTED, NOT_FOUND, or AUTH_FAILED after turning itself off. */
  async dataKey(): Promise<Buffer> {
    const availability = this.protector.available()
    if (!availability.ok) throw new PortholeError('UNSUPPORTED', availability.reason)
    const bytes = await readIfExists(this.file)
    const protectedKey = bytes === undefined ? undefined : decodeQuickFile(bytes)
    if (protectedKey === undefined) throw new PortholeError('NOT_FOUND', 'Quick unlock is not turned on.')
    try {
      return this.protector.unprotect(protectedKey)
    } catch {
      await this.disable()
      throw new PortholeError(
        'AUTH_FAILED',
        'The OS keychain could not open the quick-unlock key, so quick unlock was turned off. Unlock with your master password.',
      )
    }
  }

  /** Turns quick unlock off because its key does not open the vault (the vault was replaced). */
  async rejectStaleKey(): Promise<never> {
    await this.disable()
    throw new PortholeError('AUTH_FAILED', 'Quick unlock no longer matches this vault and was turned off. Unlock with your master password.')
  }

  async enable(dataKey: Buffer): Promise<void> {
    const availability = this.protector.available()
    if (!availability.ok) throw new PortholeError('UNSUPPORTED', availability.reason)
    const protectedKey = this.protector.protect(dataKey)
    await this.saves.run(() => writeFileAtomic(this.file, encodeQuickFile(protectedKey)))
  }

  async disable(): Promise<void> {
    await this.saves.run(() => removeFile(this.file))
  }

  /** After the data key changed: protects the new one if quick unlock is on (or turns it off where the keychain is gone). */
  async replaceKey(dataKey: Buffer): Promise<void> {
    if (!(await exists(this.file))) return
    if (this.protector.available().ok) await this.enable(dataKey)
    else await this.disable()
  }
}
