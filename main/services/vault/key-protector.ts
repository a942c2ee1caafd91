import { z } from 'zod'

export type ProtectorAvailability = { ok: true } | { ok: false; reason: string }

/**
 * Encrypts the vault's data key with a key the OS keeps (quick unlock). The Electron glue
 * implements it with `safeStorage` and must refuse (available() → ok:false) when the backend
 * is `basic_text`, where "protected" means encrypted with a constant password.
 */
export interface KeyProtector {
  available(): ProtectorAvailability
  protect(plain: Buffer): Buffer
  unprotect(protectedKey: Buffer): Buffer
}

/** The protector of hosts that have no OS keychain (the browser harness): quick unlock is refused with `reason`. */
export function unavailableProtector(reason: string): KeyProtector {
  const refuse = (): never => {
    throw new Error(reason)
  }
  return { available: () => ({ ok: false, reason }), protect: refuse, unprotect: refuse }
}

const QuickFile = z.strictObject({ format: z.literal(1), key: z.string().max(4096) })

/** vault.quick: the protected data key, as one line of JSON. */
export function encodeQuickFile(protectedKey: Buffer): Buffer {
  return Buffer.from(JSON.stringify({ format: 1, key: protectedKey.toString('base64') }) + '\n', 'utf8')
}

/** The protected key in vault.quick, or undefined when the file is not one this code wrote. */
export function decodeQuickFile(bytes: Buffer): Buffer | undefined {
  try {
    const parsed = QuickFile.parse(JSON.parse(bytes.toString('utf8')))
    return Buffer.from(parsed.key, 'base64')
  } catch {
    return undefined
  }
}
