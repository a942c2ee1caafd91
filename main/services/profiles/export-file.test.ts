import { describe, expect, it } from 'vitest'
import { errorOf } from '../../../test/helpers/error-of'
import { EXPORT_KDF, openExport, sealExport, type KdfParams } from './export-file'

const TINY: KdfParams = { m: 64, t: 1, p: 1 }
const PLAINTEXT = Buffer.from('{"secret":"canary-8d1f"}')

function edit(file: Buffer, change: (envelope: Record<string, unknown>) => void): Buffer {
  const envelope = JSON.parse(file.toString('utf8')) as Record<string, unknown>
  change(envelope)
  return Buffer.from(JSON.stringify(envelope))
}

/** Flips one bit of a base64 field's bytes. */
function flip(value: unknown, index = 0): string {
  const bytes = Buffer.from(String(value), 'base64')
  bytes[index] = (bytes[index] ?? 0) ^ 0x01
  return bytes.toString('base64')
}

describe('sealExport / openExport', () => {
  it('round-trips, and the envelope has the documented shape', async () => {
    const file = await sealExport(PLAINTEXT, 'correct horse', TINY)
    const envelope = JSON.parse(file.toString('utf8'))
    expect(Object.keys(envelope)).toEqual(['format', 'version', 'kdf', 'iv', 'check', 'ciphertext', 'tag'])
    expect(envelope).toMatchObject({ format: 'porthole-export', version: 1, kdf: { alg: 'argon2id', m: 64, t: 1, p: 1 } })
    expect(Buffer.from(envelope.kdf.salt, 'base64')).toHaveLength(16)
    expect(Buffer.from(envelope.iv, 'base64')).toHaveLength(12)
    expect(await openExport(file, 'correct horse')).toEqual(PLAINTEXT)
  })

  it('uses a fresh salt and iv every time', async () => {
    const a = JSON.parse((await sealExport(PLAINTEXT, 'pw', TINY)).toString())
    const b = JSON.parse((await sealExport(PLAINTEXT, 'pw', TINY)).toString())
    expect(a.kdf.salt).not.toBe(b.kdf.salt)
    expect(a.iv).not.toBe(b.iv)
    expect(a.ciphertext).not.toBe(b.ciphertext)
  })

  it('treats composed and decomposed accents as the same password', async () => {
    const file = await sealExport(PLAINTEXT, 'caf\u00e9', TINY)
    expect(await openExport(file, 'cafe\u0301')).toEqual(PLAINTEXT)
  })

  it('says AUTH_FAILED for a wrong password', async () => {
    const file = await sealExport(PLAINTEXT, 'right password', TINY)
    expect((await errorOf(openExport(file, 'wrong password'))).code).toBe('AUTH_FAILED')
  })

  it('says FILE_DAMAGED when the ciphertext, the tag or the iv was changed', async () => {
    const file = await sealExport(PLAINTEXT, 'pw', TINY)
    for (const field of ['ciphertext', 'tag', 'iv'] as const) {
      const tampered = edit(file, (e) => (e[field] = flip(e[field], 3)))
      const err = await errorOf(openExport(tampered, 'pw'))
      expect(err.code, field).toBe('FILE_DAMAGED')
      expect(err.message).toContain('modified or damaged')
    }
  })

  it('says FILE_DAMAGED for truncation, garbage, other JSON and missing fields', async () => {
    const file = await sealExport(PLAINTEXT, 'pw', TINY)
    const cases = [
      file.subarray(0, file.length - 20),
      Buffer.from('not json at all'),
      Buffer.from('{"format":"something-else","version":1}'),
      edit(file, (e) => delete e.tag),
      edit(file, (e) => (e.extra = 1)),
      edit(file, (e) => (e.iv = Buffer.alloc(4).toString('base64'))),
    ]
    for (const bad of cases) expect((await errorOf(openExport(bad, 'pw'))).code).toBe('FILE_DAMAGED')
  })

  it('refuses KDF costs beyond its ceiling before running Argon2', async () => {
    const file = await sealExport(PLAINTEXT, 'pw', TINY)
    const greedy = edit(file, (e) => ((e.kdf as Record<string, unknown>).m = 64 * 1024 * 1024))
    const started = Date.now()
    expect((await errorOf(openExport(greedy, 'pw'))).code).toBe('FILE_DAMAGED')
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('says UNSUPPORTED for a newer format version', async () => {
    const file = await sealExport(PLAINTEXT, 'pw', TINY)
    expect((await errorOf(openExport(edit(file, (e) => (e.version = 2)), 'pw'))).code).toBe('UNSUPPORTED')
  })

  it('production parameters are at least the vault floor (64 MiB, t=3, p=4)', () => {
    expect(EXPORT_KDF.m).toBeGreaterThanOrEqual(64 * 1024)
    expect(EXPORT_KDF.t).toBeGreaterThanOrEqual(3)
    expect(EXPORT_KDF.p).toBeGreaterThanOrEqual(4)
  })
})
