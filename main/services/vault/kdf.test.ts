import { hashRaw } from '@node-rs/argon2'
import { describe, expect, it } from 'vitest'
import { DEFAULT_KDF, MIN_PRODUCTION_KDF, deriveKey, kdfBelow, kdfWithinLimits } from './kdf'

describe('Argon2id key derivation', () => {
  it('matches the Argon2id v1.3 known answer of the reference implementation (m=64 MiB, t=2, p=1)', async () => {
    // phc-winner-argon2 src/test.c: hashtest(ARGON2_VERSION_13, 2, 16, 1, "password", "somesalt", …) for Argon2id.
    const key = await deriveKey('password', Buffer.from('somesalt'), { m: 65536, t: 2, p: 1 })
    expect(key.toString('hex')).toBe('09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7')
  })

  it('passes every cost explicitly: each of m, t and p changes the key', async () => {
    const salt = Buffer.alloc(16, 7)
    const base = { m: 64, t: 2, p: 2 }
    const ref = await deriveKey('pw', salt, base)
    const direct = await hashRaw('pw', { algorithm: 2, version: 1, memoryCost: 64, timeCost: 2, parallelism: 2, outputLen: 32, salt })
    expect(ref.equals(direct)).toBe(true)
    for (const changed of [{ ...base, m: 72 }, { ...base, t: 3 }, { ...base, p: 1 }]) {
      expect((await deriveKey('pw', salt, changed)).equals(ref)).toBe(false)
    }
  })

  it('normalizes the password to NFC, so composed and decomposed accents derive the same key', async () => {
    const salt = Buffer.alloc(16, 1)
    const nfc = await deriveKey('p\u00e4ssword', salt, { m: 8, t: 1, p: 1 })
    const nfd = await deriveKey('pa\u0308ssword', salt, { m: 8, t: 1, p: 1 })
    expect(nfc.equals(nfd)).toBe(true)
    const other = await deriveKey('passwörd', salt, { m: 8, t: 1, p: 1 })
    expect(nfc.equals(other)).toBe(false)
  })

  it('the production costs are the measured ones and never below the floor in DESIGN.md', () => {
    expect(DEFAULT_KDF).toEqual({ m: 256 * 1024, t: 14, p: 4 })
    expect(DEFAULT_KDF.m).toBeGreaterThanOrEqual(MIN_PRODUCTION_KDF.m)
    expect(DEFAULT_KDF.t).toBeGreaterThanOrEqual(MIN_PRODUCTION_KDF.t)
    expect(DEFAULT_KDF.p).toBeGreaterThanOrEqual(MIN_PRODUCTION_KDF.p)
    expect(kdfWithinLimits(DEFAULT_KDF)).toBe(true)
  })

  it('refuses costs a planted file could use to stall or exhaust the machine', async () => {
    expect(kdfWithinLimits({ m: 8 * 1024 * 1024, t: 3, p: 4 })).toBe(false)
    expect(kdfWithinLimits({ m: 65536, t: 1000, p: 4 })).toBe(false)
    expect(kdfWithinLimits({ m: 8, t: 1, p: 2 })).toBe(false) // below 8 KiB per lane
    expect(kdfWithinLimits({ m: 65536.5, t: 3, p: 4 })).toBe(false)
    await expect(deriveKey('pw', Buffer.alloc(16), { m: 65536, t: 0, p: 4 })).rejects.toThrow(RangeError)
  })

  it('asks for a re-wrap when any cost is below the current one', () => {
    expect(kdfBelow({ m: 65536, t: 3, p: 4 }, DEFAULT_KDF)).toBe(true)
    expect(kdfBelow({ ...DEFAULT_KDF, t: 13 }, DEFAULT_KDF)).toBe(true)
    expect(kdfBelow(DEFAULT_KDF, DEFAULT_KDF)).toBe(false)
    expect(kdfBelow({ ...DEFAULT_KDF, t: 20 }, DEFAULT_KDF)).toBe(false)
  })
})
