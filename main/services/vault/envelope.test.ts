import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { hashRaw } from '@node-rs/argon2'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PortholeError } from '../../../contract/errors'
import { memoryLog } from '../log/log'
import { newKdfHeader, openContents, parseEnvelope, sealEnvelope, unwrapKey, wrapKey } from './envelope'
import { deriveKey } from './kdf'
import { TINY_KDF, tempDir } from './test-support'
import { createVault } from './vault-service'

/** A format-1 vault file, password "pässword". Every Porthole must keep opening it. */
const FIXTURE =
  '{"format":1,"kdf":{"alg":"argon2id","v":19,"m":64,"t":2,"p":1,"salt":"AQEBAQEBAQEBAQEBAQEBAQ=="},' +
  '"wrappedKey":{"iv":"AgICAgICAgICAgIC","ct":"dOTcVV9uOqztNhEE9opc0K1XbcZthhQKHZuNY5LZwCc=","tag":"Lh15NSgoJSs02LL0jnK2cw=="},' +
  '"iv":"AwMDAwMDAwMDAwMD","ciphertext":"AHHF6tK/IbHIydc+2KcK4SUvf7we0eVPbmMel5OnAhBswWgnUVdD9ka+rBiSqvhwng3vpFMNwsaWeX6ithVMQ0JZ",' +
  '"tag":"QeaFXHwIIwOpwpoGaTd0ag==","checksum":"GMAMU5Y7peTiWp/anldPZmVpabVfOwdCMAoLx4i7gTQ="}\n'
const FIXTURE_PASSWORD = 'p\u00e4ssword'
const FIXTURE_CONTENTS = '{"v":1,"sections":{"profiles":[{"name":"vc1","secret":"canary"}]}}'
const FIXTURE_DATA_KEY = Buffer.alloc(32, 0xdd)

function counterRandom(): (n: number) => Buffer {
  let i = 0
  return (n) => Buffer.alloc(n, ++i)
}

function code(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    return err instanceof PortholeError ? err.code : `not a PortholeError: ${String(err)}`
  }
  return 'no error'
}

describe('envelope known answers', () => {
  it('seals to exactly the fixture given the same key, password, salt and IVs', async () => {
    const random = counterRandom()
    const kdf = newKdfHeader({ m: 64, t: 2, p: 1 }, random)
    const kek = await deriveKey(FIXTURE_PASSWORD, kdf.salt, kdf)
    const header = wrapKey(kek, FIXTURE_DATA_KEY, kdf, random)
    const bytes = sealEnvelope(header, FIXTURE_DATA_KEY, Buffer.from(FIXTURE_CONTENTS), random)
    expect(bytes.toString('utf8')).toBe(FIXTURE)
  })

  it('the fixture decodes by the documented format alone (node:crypto and Argon2id, no Porthole code)', async () => {
    const f = JSON.parse(FIXTURE) as {
      format: number
      kdf: { alg: string; v: number; m: number; t: number; p: number; salt: string }
      wrappedKey: { iv: string; ct: string; tag: string }
      iv: string
      ciphertext: string
      tag: string
      checksum: string
    }
    const b = (s: string): Buffer => Buffer.from(s, 'base64')
    // checksum: SHA-256 of the file's JSON without the checksum member.
    const { checksum, ...rest } = f
    expect(crypto.createHash('sha256').update(JSON.stringify(rest)).digest('base64')).toBe(checksum)
    const kek = await hashRaw(Buffer.from(FIXTURE_PASSWORD.normalize('NFC')), {
      algorithm: 2,
      version: 1,
      memoryCost: f.kdf.m,
      timeCost: f.kdf.t,
      parallelism: f.kdf.p,
      outputLen: 32,
      salt: b(f.kdf.salt),
    })
    const unwrap = crypto.createDecipheriv('aes-256-gcm', kek, b(f.wrappedKey.iv))
    unwrap.setAAD(Buffer.from(JSON.stringify({ format: f.format, kdf: f.kdf })))
    unwrap.setAuthTag(b(f.wrappedKey.tag))
    const dataKey = Buffer.concat([unwrap.update(b(f.wrappedKey.ct)), unwrap.final()])
    expect(dataKey.equals(FIXTURE_DATA_KEY)).toBe(true)
    const open = crypto.createDecipheriv('aes-256-gcm', dataKey, b(f.iv))
    open.setAAD(Buffer.from(JSON.stringify({ format: f.format, kdf: f.kdf, wrappedKey: f.wrappedKey })))
    open.setAuthTag(b(f.tag))
    expect(Buffer.concat([open.update(b(f.ciphertext)), open.final()]).toString()).toBe(FIXTURE_CONTENTS)
  })

  it('opens the fixture with the right password; a wrong one is AUTH_FAILED', async () => {
    const env = parseEnvelope(Buffer.from(FIXTURE))
    const kek = await deriveKey(FIXTURE_PASSWORD, env.kdf.salt, env.kdf)
    const dataKey = unwrapKey(env, kek)
    expect(openContents(env, dataKey).toString()).toBe(FIXTURE_CONTENTS)
    const wrong = await deriveKey('password', env.kdf.salt, env.kdf)
    expect(code(() => unwrapKey(env, wrong))).toBe('AUTH_FAILED')
  })
})

describe('damage is told apart from a wrong password, before the KDF runs', () => {
  const fixture = Buffer.from(FIXTURE)

  it('every single-bit flip at every byte position is VAULT_DAMAGED', () => {
    const outcomes = new Map<string, number>()
    for (let bit = 0; bit < fixture.length * 8; bit++) {
      const flipped = Buffer.from(fixture)
      flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7))
      const c = code(() => parseEnvelope(flipped))
      outcomes.set(c, (outcomes.get(c) ?? 0) + 1)
    }
    expect(Object.fromEntries(outcomes)).toEqual({ VAULT_DAMAGED: fixture.length * 8 })
  })

  it('every truncation is VAULT_DAMAGED', () => {
    for (let len = 0; len < fixture.length; len++) {
      expect(code(() => parseEnvelope(fixture.subarray(0, len)))).toBe('VAULT_DAMAGED')
    }
  })

  it('whitespace, reordering-neutral edits and lenient base64 are refused too', () => {
    expect(code(() => parseEnvelope(Buffer.from(FIXTURE.replace('{"format":1,', '{"format":1, '))))).toBe('VAULT_DAMAGED')
    expect(code(() => parseEnvelope(Buffer.from(FIXTURE + '\n')))).toBe('VAULT_DAMAGED')
    expect(code(() => parseEnvelope(Buffer.from(FIXTURE.replace('"iv":"AwMD', '"iv":"AwM!D'))))).toBe('VAULT_DAMAGED')
  })

  it('a newer format with an intact checksum is UNSUPPORTED, not damaged', () => {
    const f = JSON.parse(FIXTURE) as Record<string, unknown>
    delete f['checksum']
    f['format'] = 2
    const json = JSON.stringify(f)
    const sum = crypto.createHash('sha256').update(json).digest('base64')
    expect(code(() => parseEnvelope(Buffer.from(`${json.slice(0, -1)},"checksum":"${sum}"}\n`)))).toBe('UNSUPPORTED')
  })

  it('deliberate edits with a recomputed checksum: contents → VAULT_DAMAGED (GCM), header → AUTH_FAILED (documented)', async () => {
    const recheck = (edit: (f: Record<string, unknown>) => void): Buffer => {
      const f = JSON.parse(FIXTURE) as Record<string, unknown>
      delete f['checksum']
      edit(f)
      const json = JSON.stringify(f)
      const sum = crypto.createHash('sha256').update(json).digest('base64')
      return Buffer.from(`${json.slice(0, -1)},"checksum":"${sum}"}\n`)
    }
    const flipFirst = (s: string): string => {
      const b = Buffer.from(s, 'base64')
      b[0] = (b[0] ?? 0) ^ 1
      return b.toString('base64')
    }
    const contents = parseEnvelope(recheck((f) => (f['ciphertext'] = flipFirst(f['ciphertext'] as string))))
    const kek = await deriveKey(FIXTURE_PASSWORD, contents.kdf.salt, contents.kdf)
    expect(code(() => openContents(contents, unwrapKey(contents, kek)))).toBe('VAULT_DAMAGED')

    const salted = parseEnvelope(
      recheck((f) => {
        const kdf = f['kdf'] as Record<string, unknown>
        kdf['salt'] = flipFirst(kdf['salt'] as string)
      }),
    )
    const kek2 = await deriveKey(FIXTURE_PASSWORD, salted.kdf.salt, salted.kdf)
    expect(code(() => unwrapKey(salted, kek2))).toBe('AUTH_FAILED')
  })
})

describe('the vault service on a damaged file', () => {
  const PASSWORD = 'correct horse battery staple'
  let dir: string
  let good: Buffer

  beforeAll(async () => {
    dir = tempDir('vault-flip')
    const v = createVault({ dir, log: memoryLog(), kdf: TINY_KDF })
    await v.create(PASSWORD)
    await v.write('profiles', [{ name: 'vc1', secret: 'canary' }])
    await v.write('profiles', [{ name: 'vc1', secret: 'canary' }, { name: 'os1', secret: 'canary2' }])
    await v.dispose()
    good = fs.readFileSync(path.join(dir, 'vault.json'))
  })
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('property: a flipped bit anywhere in the file → VAULT_DAMAGED with the backup offered, nothing loaded', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: good.length - 1 }), fc.nat({ max: 7 }), async (byte, bit) => {
        const flipped = Buffer.from(good)
        flipped[byte] = (flipped[byte] ?? 0) ^ (1 << bit)
        fs.writeFileSync(path.join(dir, 'vault.json'), flipped)
        const v = createVault({ dir, log: memoryLog(), kdf: TINY_KDF })
        const err = await v.unlock(PASSWORD).then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(err).toBeInstanceOf(PortholeError)
        expect((err as PortholeError).code).toBe('VAULT_DAMAGED')
        expect((err as PortholeError).message).toMatch(/damaged or has been tampered with/)
        expect((err as PortholeError).detail?.['backup']).toMatchObject({ available: true })
        expect(v.isUnlocked()).toBe(false)
        expect(v.heldSecrets()).toEqual([])
      }),
      { numRuns: Math.max(1000, good.length * 2) },
    )
    // The untouched file still opens: the property did not pass because everything fails.
    fs.writeFileSync(path.join(dir, 'vault.json'), good)
    const v = createVault({ dir, log: memoryLog(), kdf: TINY_KDF })
    await v.unlock(PASSWORD)
    expect(v.isUnlocked()).toBe(true)
    await v.dispose()
  })
})
