import { hashRaw, type Algorithm, type Version } from '@node-rs/argon2'

/** Argon2id cost parameters as stored in the vault envelope. `m` is KiB of memory in total, `t` passes, `p` lanes. */
export interface KdfParams {
  m: number
  t: number
  p: number
}

/**
 * The parameters new vaults get, and that older vaults are raised to on their next unlock.
 * Measured here (2 cores, @node-rs/argon2 2.2): 256 MiB, t=14, p=4 unlocks in about
 * 630 ms (`npx tsx bench/vault.ts`), inside the 0.5–1 s target and well above the floor.
 */
export const DEFAULT_KDF: Readonly<KdfParams> = Object.freeze({ m: 256 * 1024, t: 14, p: 4 })

/** The floor from DESIGN.md: production parameters may never go below it. */
export const MIN_PRODUCTION_KDF: Readonly<KdfParams> = Object.freeze({ m: 64 * 1024, t: 3, p: 4 })

/**
 * Bounds on what a vault file may ask for. A file is not trusted before its password is
 * checked, so without a ceiling a damaged or planted file could make unlock allocate
 * gigabytes or run for hours. The floor is Argon2's own minimum (8 KiB per lane).
 */
export const KDF_LIMITS = { mMax: 2 * 1024 * 1024, tMax: 64, pMax: 16 } as const

export const SALT_BYTES = 16
export const KEY_BYTES = 32

// The package declares these as `const enum`, which isolatedModules cannot read: spell the values.
const ARGON2ID = 2 as Algorithm
const VERSION_0x13 = 1 as Version

/** Whether `p` is a parameter set this code will run. */
export function kdfWithinLimits(p: KdfParams): boolean {
  return (
    Number.isSafeInteger(p.m) &&
    Number.isSafeInteger(p.t) &&
    Number.isSafeInteger(p.p) &&
    p.p >= 1 &&
    p.p <= KDF_LIMITS.pMax &&
    p.t >= 1 &&
    p.t <= KDF_LIMITS.tMax &&
    p.m >= 8 * p.p &&
    p.m <= KDF_LIMITS.mMax
  )
}

/** Whether a vault stored with `stored` should be re-wrapped with `wanted` (any cost lower). */
export function kdfBelow(stored: KdfParams, wanted: KdfParams): boolean {
  return stored.m < wanted.m || stored.t < wanted.t || stored.p < wanted.p
}

/**
 * The master password as bytes. Normalized to NFC so the same password typed on macOS
 * (which tends to produce decomposed accents) and elsewhere derives the same key.
 */
export function passwordBytes(password: string): Buffer {
  return Buffer.from(password.normalize('NFC'), 'utf8')
}

/** Derives the 256-bit key-encryption key from the master password with Argon2id (v1.3), every parameter explicit. */
export async function deriveKey(password: string, salt: Buffer, params: KdfParams): Promise<Buffer> {
  if (!kdfWithinLimits(params)) throw new RangeError('KDF parameters out of range')
  if (salt.length < 8) throw new RangeError('salt too short')
  const pw = passwordBytes(password)
  try {
    // hashRaw runs on the libuv pool, so the main process keeps serving while Argon2 works.
    return await hashRaw(pw, {
      algorithm: ARGON2ID,
      version: VERSION_0x13,
      memoryCost: params.m,
      timeCost: params.t,
      parallelism: params.p,
      outputLen: KEY_BYTES,
      salt,
    })
  } finally {
    pw.fill(0)
  }
}
