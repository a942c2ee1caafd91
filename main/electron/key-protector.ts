import type { SafeStorage } from 'electron'
import type { KeyProtector, ProtectorAvailability } from '../services/vault/key-protector'

export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'>

/**
 * Quick unlock through Electron's safeStorage (Keychain on macOS, DPAPI on Windows, libsecret
 * or KWallet on Linux). Refused where Linux has no keyring: the `basic_text` backend encrypts
 * with a constant password, which would make the wrapped data key as good as plain text.
 * Call after `app` is ready (the backend is unknown before).
 */
export function safeStorageProtector(safeStorage: SafeStorageLike, platform: NodeJS.Platform): KeyProtector {
  function available(): ProtectorAvailability {
    if (!safeStorage.isEncryptionAvailable()) return { ok: false, reason: 'The system keychain is not available.' }
    if (platform === 'linux') {
      const backend = safeStorage.getSelectedStorageBackend()
      if (backend === 'basic_text' || backend === 'unknown') {
        return { ok: false, reason: 'No keyring (GNOME Keyring, KWallet) is running, so quick unlock would not be protected.' }
      }
    }
    return { ok: true }
  }
  function ensure(): void {
    const a = available()
    if (!a.ok) throw new Error(a.reason)
  }
  // safeStorage takes strings only: the key crosses as base64 (an immutable string V8 frees
  // when it likes; the API offers nothing better).
  return {
    available,
    protect(plain) {
      ensure()
      return safeStorage.encryptString(plain.toString('base64'))
    },
    unprotect(protectedKey) {
      ensure()
      return Buffer.from(safeStorage.decryptString(protectedKey), 'base64')
    },
  }
}
