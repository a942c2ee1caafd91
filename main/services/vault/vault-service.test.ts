import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { PortholeError } from '../../../contract/errors'
import { memoryLog } from '../log/log'
import { parseEnvelope } from './envelope'
import { DEFAULT_KDF } from './kdf'
import { TINY_KDF, fakeProtector, tempDir } from './test-support'
import { createVault, type VaultOptions, type VaultService } from './vault-service'

const PASSWORD = 'correct horse battery staple'
const Profiles = z.array(z.object({ name: z.string(), secret: z.string() }))

let dir: string
let vaults: VaultService[]

beforeEach(() => {
  dir = tempDir('vault')
  vaults = []
})
afterEach(async () => {
  await Promise.all(vaults.map((v) => v.dispose()))
  fs.rmSync(dir, { recursive: true, force: true })
})

function vault(extra: Partial<VaultOptions> = {}): VaultService {
  const v = createVault({ dir, log: memoryLog(), kdf: TINY_KDF, ...extra })
  vaults.push(v)
  return v
}

async function rejection(p: Promise<unknown> | (() => unknown)): Promise<PortholeError> {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (err) {
    expect(err).toBeInstanceOf(PortholeError)
    return err as PortholeError
  }
  throw new Error('expected a rejection')
}

const file = (): string => path.join(dir, 'vault.json')

describe('vault round trip', () => {
  it('create → save → lock → unlock gives back what was saved', async () => {
    const v = vault()
    expect((await v.status()).state).toBe('absent')
    expect((await v.create(PASSWORD)).state).toBe('unlocked')
    await v.write('profiles', [{ name: 'vc1', secret: 's3cret-canary' }])
    v.lock('manual')
    expect((await v.status()).state).toBe('locked')
    expect(fs.readFileSync(file(), 'utf8')).not.toContain('s3cret-canary')

    const again = vault()
    await again.unlock(PASSWORD)
    expect(again.read('profiles', Profiles)).toEqual([{ name: 'vc1', secret: 's3cret-canary' }])
    expect(again.read('missing', Profiles)).toBeUndefined()
  })

  it('writes files private to the user', async () => {
    const v = vault()
    await v.create(PASSWORD)
    await v.write('a', 1)
    await v.write('a', 2)
    if (process.platform !== 'win32') {
      expect(fs.statSync(file()).mode & 0o777).toBe(0o600)
      expect(fs.statSync(file() + '.bak').mode & 0o777).toBe(0o600)
    }
  })

  it('refuses a second create', async () => {
    await vault().create(PASSWORD)
    expect((await rejection(vault().create(PASSWORD))).code).toBe('VAULT_EXISTS')
  })

  it('production code uses the real KDF parameters', async () => {
    const v = createVault({ dir, log: memoryLog() })
    vaults.push(v)
    await v.create(PASSWORD)
    const env = parseEnvelope(fs.readFileSync(file()))
    expect({ m: env.kdf.m, t: env.kdf.t, p: env.kdf.p }).toEqual(DEFAULT_KDF)
    expect(env.kdf.m).toBeGreaterThanOrEqual(256 * 1024)
  })
})

describe('locking', () => {
  it('zeroes the key and every section, calls onLock listeners and emits the reason', async () => {
    const changes: unknown[] = []
    const v = vault({ onChange: (state, reason) => changes.push({ state, reason }) })
    await v.create(PASSWORD)
    await v.write('profiles', [{ name: 'x', secret: 'canary' }])
    const held = v.heldSecrets()
    expect(held.length).toBeGreaterThanOrEqual(2)
    expect(held.every((b) => b.some((byte) => byte !== 0))).toBe(true)
    let told = 0
    v.onLock(() => told++)
    v.lock('screen-lock')
    expect(held.every((b) => b.every((byte) => byte === 0))).toBe(true)
    expect(told).toBe(1)
    expect(changes).toEqual([
      { state: 'unlocked', reason: undefined },
      { state: 'locked', reason: 'screen-lock' },
    ])
    expect((await rejection(() => v.read('profiles', Profiles))).code).toBe('VAULT_LOCKED')
    expect((await rejection(() => v.write('profiles', []))).code).toBe('VAULT_LOCKED')
  })

  it('a save queued just before the lock still reaches the disk', async () => {
    const v = vault()
    await v.create(PASSWORD)
    const saved = v.write('profiles', [{ name: 'late', secret: 'x' }])
    v.lock('suspend')
    await saved
    const again = vault()
    await again.unlock(PASSWORD)
    expect(again.read('profiles', Profiles)).toEqual([{ name: 'late', secret: 'x' }])
  })

  it('a lock while the key is being derived discards that unlock', async () => {
    await vault().create(PASSWORD)
    const v = vault()
    const unlocking = v.unlock(PASSWORD)
    v.lock('suspend')
    expect((await rejection(unlocking)).code).toBe('VAULT_LOCKED')
    expect(v.isUnlocked()).toBe(false)
    expect(v.heldSecrets()).toEqual([])
  })

  it('a save that cannot be written fails its caller, and the change goes out with the next save that works', async () => {
    const v = vault()
    await v.create(PASSWORD)
    // The data directory vanishes and a plain file takes its place (works as root too, unlike chmod).
    fs.renameSync(dir, dir + '.moved')
    fs.writeFileSync(dir, 'not a directory')
    try {
      await expect(v.write('profiles', [{ name: 'kept', secret: 's' }])).rejects.toMatchObject({ code: 'ENOTDIR' })
    } finally {
      fs.rmSync(dir)
      fs.renameSync(dir + '.moved', dir)
    }
    await v.write('other', 1)
    v.lock('manual')
    const again = vault()
    await again.unlock(PASSWORD)
    expect(again.read('profiles', Profiles)).toEqual([{ name: 'kept', secret: 's' }])
  })

  it('keeps sections of the vault itself out of reach of other services', async () => {
    const v = vault()
    await v.create(PASSWORD)
    expect((await rejection(() => v.write('vault.prefs', { autoLockMinutes: 0 }))).code).toBe('INVALID_INPUT')
  })
})

describe('wrong passwords', () => {
  it('AUTH_FAILED, the file untouched, nothing loaded, then backs off 1 s, 2 s, 4 s', async () => {
    let now = 1_000_000
    await vault().create(PASSWORD)
    const before = fs.readFileSync(file())
    const v = vault({ now: () => now })
    const first = await rejection(v.unlock('wrong password'))
    expect(first.code).toBe('AUTH_FAILED')
    expect(first.detail).toEqual({ retryAfterMs: 1000 })
    expect(fs.readFileSync(file()).equals(before)).toBe(true)
    expect(v.isUnlocked()).toBe(false)
    expect(v.heldSecrets()).toEqual([])

    const limited = await rejection(v.unlock(PASSWORD))
    expect(limited.code).toBe('RATE_LIMITED')
    expect(limited.detail).toEqual({ retryAfterMs: 1000 })
    expect((await v.status()).retryAfterMs).toBe(1000)

    now += 1000
    expect((await rejection(v.unlock('wrong again'))).detail).toEqual({ retryAfterMs: 2000 })
    now += 2000
    expect((await rejection(v.unlock('and again'))).detail).toEqual({ retryAfterMs: 4000 })
    now += 4000
    // Never locked out: the right password works as soon as the wait is over.
    expect((await v.unlock(PASSWORD)).state).toBe('unlocked')
    expect((await v.status()).retryAfterMs).toBeUndefined()
  })
})

describe('damage and backups', () => {
  it('a truncated file is VAULT_DAMAGED, offers the backup, and restoring it loads the previous generation', async () => {
    const v = vault()
    await v.create(PASSWORD)
    await v.write('gen', 1)
    await v.write('gen', 2)
    v.lock('manual')
    const whole = fs.readFileSync(file())
    fs.writeFileSync(file(), whole.subarray(0, Math.floor(whole.length / 2)))

    const again = vault()
    const err = await rejection(again.unlock(PASSWORD))
    expect(err.code).toBe('VAULT_DAMAGED')
    expect(err.message).toMatch(/damaged or has been tampered with/)
    expect(err.detail?.['backup']).toMatchObject({ available: true })
    expect(again.heldSecrets()).toEqual([])
    expect((await again.status()).backup?.available).toBe(true)

    expect((await again.restoreBackup(PASSWORD)).state).toBe('unlocked')
    expect(again.read('gen', z.number())).toBe(1)
    // The damaged file is kept for inspection, and the vault opens normally from now on.
    expect(fs.readFileSync(file() + '.damaged').length).toBe(Math.floor(whole.length / 2))
    again.lock('manual')
    const third = vault()
    await third.unlock(PASSWORD)
    expect(third.read('gen', z.number())).toBe(1)
  })

  it('a file too large to be a vault is VAULT_DAMAGED without being read into memory', async () => {
    const v = vault()
    await v.create(PASSWORD)
    v.lock('manual')
    fs.truncateSync(file(), 65 * 1024 * 1024)
    const err = await rejection(vault().unlock(PASSWORD))
    expect(err.code).toBe('VAULT_DAMAGED')
    expect(err.detail?.['reason']).toBe('file too large')
  })

  it('restoring a backup checks its password and backs off like unlock', async () => {
    const v = vault()
    await v.create(PASSWORD)
    await v.write('gen', 1)
    v.lock('manual')
    expect((await rejection(v.restoreBackup('nope'))).code).toBe('AUTH_FAILED')
    expect((await rejection(v.restoreBackup(PASSWORD))).code).toBe('RATE_LIMITED')
  })
})

describe('changing the master password', () => {
  it('the new password opens it, the old one opens neither the vault nor its backup, quick unlock stays valid', async () => {
    const protector = fakeProtector()
    const v = vault({ protector })
    await v.create(PASSWORD)
    await v.write('profiles', [{ name: 'a', secret: 'b' }])
    await v.setQuickUnlock(true)
    const oldKey = Buffer.from(v.heldSecrets()[0] ?? Buffer.alloc(0))
    expect((await rejection(v.changePassword('not it', 'a brand new password'))).code).toBe('AUTH_FAILED')
    let now = Date.now() + 2000
    const v2 = vault({ protector, now: () => now })
    await v2.unlock(PASSWORD)
    await v2.changePassword(PASSWORD, 'a brand new password')
    // A new data key, so an old copy of the file and the old password read nothing new.
    expect(v2.heldSecrets()[0]?.equals(oldKey)).toBe(false)
    v2.lock('manual')

    expect((await rejection(vault().unlock(PASSWORD))).code).toBe('AUTH_FAILED')
    const restore = vault()
    fs.writeFileSync(file(), 'x')
    now += 60_000
    expect((await rejection(restore.restoreBackup(PASSWORD))).code).toBe('AUTH_FAILED')
    const fresh = vault({ protector })
    await fresh.restoreBackup('a brand new password')
    expect(fresh.read('profiles', Profiles)).toEqual([{ name: 'a', secret: 'b' }])
    fresh.lock('manual')
    await fresh.unlockQuick()
    expect(fresh.read('profiles', Profiles)).toEqual([{ name: 'a', secret: 'b' }])
  })
})

describe('KDF costs raised later', () => {
  it('re-wraps the key with the current costs on the next unlock', async () => {
    const v = vault()
    await v.create(PASSWORD)
    await v.write('x', 'y')
    v.lock('manual')
    const raised = { m: 64, t: 2, p: 1 }
    const later = vault({ kdf: raised })
    await later.unlock(PASSWORD)
    await later.flush()
    const env = parseEnvelope(fs.readFileSync(file()))
    expect({ m: env.kdf.m, t: env.kdf.t, p: env.kdf.p }).toEqual(raised)
    later.lock('manual')
    const third = vault({ kdf: raised })
    await third.unlock(PASSWORD)
    expect(third.read('x', z.string())).toBe('y')
  })
})

describe('quick unlock', () => {
  it('is refused with the reason where the keychain backend is basic_text', async () => {
    const reason = 'No OS keyring: safeStorage would use basic_text.'
    const v = vault({ protector: fakeProtector({ ok: false, reason }) })
    await v.create(PASSWORD)
    expect((await v.status()).quickUnlock).toEqual({ available: false, enabled: false, reason })
    const err = await rejection(v.setQuickUnlock(true))
    expect(err.code).toBe('UNSUPPORTED')
    expect(err.message).toBe(reason)
    expect(fs.existsSync(path.join(dir, 'vault.quick'))).toBe(false)
  })

  it('unlocks without the password through the protector; disabling deletes the key file', async () => {
    const protector = fakeProtector()
    const v = vault({ protector })
    await v.create(PASSWORD)
    await v.write('k', 'v')
    await v.setQuickUnlock(true)
    expect((await v.status()).quickUnlock).toEqual({ available: true, enabled: true })
    const stored = fs.readFileSync(path.join(dir, 'vault.quick'))
    expect(stored.includes(v.heldSecrets()[0] ?? Buffer.alloc(1))).toBe(false)
    v.lock('manual')
    await v.unlockQuick()
    expect(v.read('k', z.string())).toBe('v')
    expect(protector.calls).toEqual(['protect', 'unprotect'])
    await v.setQuickUnlock(false)
    expect(fs.existsSync(path.join(dir, 'vault.quick'))).toBe(false)
    v.lock('manual')
    expect((await rejection(v.unlockQuick())).code).toBe('NOT_FOUND')
  })

  it('a key the keychain cannot open turns quick unlock off and asks for the password', async () => {
    const v = vault({ protector: fakeProtector() })
    await v.create(PASSWORD)
    await v.setQuickUnlock(true)
    v.lock('manual')
    fs.writeFileSync(path.join(dir, 'vault.quick'), JSON.stringify({ format: 1, key: Buffer.from('garbage').toString('base64') }))
    expect((await rejection(v.unlockQuick())).code).toBe('AUTH_FAILED')
    expect(fs.existsSync(path.join(dir, 'vault.quick'))).toBe(false)
  })
})

describe('edge cases', () => {
  it('unlocking where there is no vault is NOT_FOUND; creating beside an orphaned backup moves it aside, deleting nothing', async () => {
    expect((await rejection(vault().unlock(PASSWORD))).code).toBe('NOT_FOUND')
    fs.writeFileSync(file() + '.bak', 'an older vault')
    await vault().create(PASSWORD)
    const names = fs.readdirSync(dir)
    const aside = names.find((n) => n.startsWith('vault.json.bak.old-'))
    expect(aside).toBeDefined()
    expect(fs.readFileSync(path.join(dir, aside!), 'utf8')).toBe('an older vault')
  })

  it('a quick-unlock key from another vault is refused and quick unlock turned off', async () => {
    const protector = fakeProtector()
    const v = vault({ protector })
    await v.create(PASSWORD)
    await v.setQuickUnlock(true)
    v.lock('manual')
    const other = tempDir('vault-other')
    const o = createVault({ dir: other, log: memoryLog(), kdf: TINY_KDF })
    await o.create(PASSWORD)
    await o.dispose()
    fs.copyFileSync(path.join(other, 'vault.json'), file())
    fs.rmSync(other, { recursive: true, force: true })
    const err = await rejection(v.unlockQuick())
    expect(err.code).toBe('AUTH_FAILED')
    expect(err.message).toMatch(/no longer matches/)
    expect(v.isUnlocked()).toBe(false)
    expect((await v.status()).quickUnlock.enabled).toBe(false)
  })
})

describe('auto-lock', () => {
  it('locks after the configured idle time and not before', async () => {
    let tick: (() => void) | undefined
    let idle = 0
    const changes: string[] = []
    const v = vault({
      idleSeconds: () => idle,
      timers: {
        setInterval: (fn) => {
          tick = fn
          return 1
        },
        clearInterval: () => {
          tick = undefined
        },
      },
      onChange: (state, reason) => changes.push(`${state}:${reason ?? ''}`),
    })
    await v.create(PASSWORD)
    await v.setAutoLock(5)
    expect((await v.status()).autoLockMinutes).toBe(5)
    idle = 299
    tick?.()
    expect(v.isUnlocked()).toBe(true)
    idle = 300
    tick?.()
    expect(v.isUnlocked()).toBe(false)
    expect(changes.at(-1)).toBe('locked:idle')
    expect(tick).toBeUndefined()
    // The setting lives in the encrypted contents and survives a restart.
    const again = vault()
    await again.unlock(PASSWORD)
    expect((await again.status()).autoLockMinutes).toBe(5)
  })
})
