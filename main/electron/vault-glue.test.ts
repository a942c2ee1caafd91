import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { LockReason } from '../../contract/vault'
import { safeStorageProtector, type SafeStorageLike } from './key-protector'
import { addLockVaultMenuItem, LOCK_VAULT_ITEM, lockOnPowerEvents } from './vault-glue'
import { createEventBus } from '../event-bus'
import { memoryLog } from '../services/log/log'
import type { AppMenu, MenuContribution } from './menu'

type Backend = ReturnType<SafeStorageLike['getSelectedStorageBackend']>

/** A reversible stand-in for safeStorage: XOR with a key, so protected bytes differ from the plain ones. */
function fakeSafeStorage(available: boolean, backend: Backend): SafeStorageLike {
  const mask = (b: Buffer): Buffer => Buffer.from(b.map((x) => x ^ 0x5a))
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (s) => mask(Buffer.from(s, 'utf8')),
    decryptString: (b) => mask(b).toString('utf8'),
  }
}

describe('safeStorage key protector', () => {
  it('round-trips a binary data key and never returns it in the clear', () => {
    const protector = safeStorageProtector(fakeSafeStorage(true, 'gnome_libsecret'), 'linux')
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37) & 0xff))
    expect(protector.available()).toEqual({ ok: true })
    const wrapped = protector.protect(key)
    expect(wrapped.includes(key)).toBe(false)
    expect(wrapped.includes(Buffer.from(key.toString('base64')))).toBe(false)
    expect(protector.unprotect(wrapped).equals(key)).toBe(true)
  })

  it.each<Backend>(['basic_text', 'unknown'])('refuses quick unlock on Linux with the %s backend', (backend) => {
    const protector = safeStorageProtector(fakeSafeStorage(true, backend), 'linux')
    const availability = protector.available()
    expect(availability.ok).toBe(false)
    expect(() => protector.protect(Buffer.alloc(32))).toThrow(/keyring/)
  })

  it('refuses where the OS says encryption is unavailable', () => {
    const protector = safeStorageProtector(fakeSafeStorage(false, 'unknown'), 'darwin')
    expect(protector.available()).toMatchObject({ ok: false })
    expect(() => protector.unprotect(Buffer.alloc(8))).toThrow(/not available/)
  })

  it('does not ask for the Linux backend on macOS and Windows', () => {
    const storage = { ...fakeSafeStorage(true, 'basic_text'), getSelectedStorageBackend: (): Backend => { throw new Error('Linux only') } }
    expect(safeStorageProtector(storage, 'darwin').available()).toEqual({ ok: true })
    expect(safeStorageProtector(storage, 'win32').available()).toEqual({ ok: true })
  })
})

describe('power events', () => {
  it('locks the vault on screen lock and on suspend, until stopped', () => {
    const power = new EventEmitter()
    const locks: LockReason[] = []
    const stop = lockOnPowerEvents(power as never, { lock: (reason) => void locks.push(reason) })
    power.emit('lock-screen')
    power.emit('suspend')
    power.emit('resume')
    expect(locks).toEqual(['screen-lock', 'suspend'])
    stop()
    power.emit('lock-screen')
    expect(locks).toHaveLength(2)
  })
})

describe('Lock Vault menu item', () => {
  function fakeMenu() {
    const items = new Map<string, MenuContribution>()
    const enabled = new Map<string, boolean>()
    const menu: AppMenu = {
      add: (_section, item) => {
        items.set(item.id, item)
        return () => void items.delete(item.id)
      },
      setEnabled: (id, on) => void enabled.set(id, on),
    }
    return { menu, items, enabled }
  }

  it('is greyed out until the vault unlocks, and locks it with reason "manual"', () => {
    const { menu, items, enabled } = fakeMenu()
    const bus = createEventBus(memoryLog())
    const locks: LockReason[] = []
    const stop = addLockVaultMenuItem(menu, { lock: (r) => void locks.push(r) }, bus)
    expect(enabled.get(LOCK_VAULT_ITEM)).toBe(false)
    expect(items.get(LOCK_VAULT_ITEM)?.accelerator).toBeUndefined()
    bus.emit('vault.changed', { state: 'unlocked' })
    expect(enabled.get(LOCK_VAULT_ITEM)).toBe(true)
    const click = items.get(LOCK_VAULT_ITEM)?.click as () => void
    click()
    expect(locks).toEqual(['manual'])
    bus.emit('vault.changed', { state: 'locked', reason: 'manual' })
    expect(enabled.get(LOCK_VAULT_ITEM)).toBe(false)
    stop()
    expect(items.has(LOCK_VAULT_ITEM)).toBe(false)
  })
})
