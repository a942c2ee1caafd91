import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { PortholeApi } from '../../contract/client'
import { PortholeError } from '../../contract/errors'
import type { Host, HostOptions } from '../../main/host'
import { memoryLog } from '../../main/services/log/log'
import { until } from '../helpers/until'
import { startWsHost } from '../helpers/ws-host'

const CANARY_PASSWORD = 'canary-master-7f3a9c-password'
const CANARY_SECRET = 'canary-secret-d41d8cd98f00'
const TINY = { m: 8, t: 1, p: 1 }

interface Harness {
  host: Host
  api: PortholeApi
  /** Every frame main sent to the "renderer", raw. */
  frames: string[]
  events: unknown[]
  close(): Promise<void>
}

let dataDir: string
let harness: Harness | undefined

async function start(vault: NonNullable<HostOptions['vault']>): Promise<Harness> {
  let stored: unknown
  const ws = await startWsHost({
    dataDir,
    version: '1.0.0',
    platform: 'linux',
    settingsStore: { read: () => stored, write: (v) => (stored = v) },
    log: memoryLog(),
    vault,
  })
  const events: unknown[] = []
  ws.api.on('vault.changed', (payload) => events.push(payload))
  return { host: ws.host, api: ws.api, frames: ws.frames, events, close: ws.close }
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-vault-host-'))
})
afterEach(async () => {
  await harness?.close()
  harness = undefined
  fs.rmSync(dataDir, { recursive: true, force: true })
})

function errorOf(result: { ok: boolean; error?: { code: string; detail?: Record<string, unknown> | undefined; message: string } }): {
  code: string
  detail?: Record<string, unknown> | undefined
  message: string
} {
  if (result.ok || !result.error) throw new Error(`expected an error, got ${JSON.stringify(result)}`)
  return result.error
}

describe('the vault over the WebSocket transport', () => {
  it('create → lock → unlock; wrong passwords back off; nothing secret ever reaches the renderer', async () => {
    harness = await start({ kdf: TINY })
    const { api, host } = harness
    expect(await api.call('vault.status', {})).toMatchObject({ ok: true, value: { state: 'absent', autoLockMinutes: 15 } })

    expect(errorOf(await api.call('vault.create', { password: CANARY_PASSWORD, confirm: 'something else' })).code).toBe('INVALID_INPUT')
    expect(errorOf(await api.call('vault.create', { password: 'short' })).code).toBe('INVALID_INPUT')
    expect(errorOf(await api.call('vault.unlock', { password: 'x'.repeat(1025) })).code).toBe('INVALID_INPUT')
    expect(await api.call('vault.create', { password: CANARY_PASSWORD, confirm: CANARY_PASSWORD })).toMatchObject({
      ok: true,
      value: { state: 'unlocked' },
    })
    await host.secrets.write('profiles', [{ name: 'vc1', secret: CANARY_SECRET }])
    const quick = errorOf(await api.call('vault.setQuickUnlock', { enabled: true }))
    expect(quick.code).toBe('UNSUPPORTED')
    expect(quick.message).toMatch(/browser harness/)

    expect(await api.call('vault.lock', {})).toMatchObject({ ok: true, value: { state: 'locked' } })
    await until('the locked event', () => harness!.events.length >= 2)
    expect(harness.events).toEqual([{ state: 'unlocked' }, { state: 'locked', reason: 'manual' }])
    expect(() => host.secrets.read('profiles', z.unknown())).toThrow(PortholeError)

    const wrong = errorOf(await api.call('vault.unlock', { password: 'not the password' }))
    expect(wrong).toMatchObject({ code: 'AUTH_FAILED', detail: { retryAfterMs: 1000 } })
    expect(errorOf(await api.call('vault.unlock', { password: CANARY_PASSWORD })).code).toBe('RATE_LIMITED')
    await until('the backoff to pass', async () => {
      const s = await api.call('vault.status', {})
      return s.ok && s.value.retryAfterMs === undefined
    })
    expect(await api.call('vault.unlock', { password: CANARY_PASSWORD })).toMatchObject({ ok: true, value: { state: 'unlocked' } })
    expect(host.secrets.read('profiles', z.array(z.object({ name: z.string(), secret: z.string() })))).toEqual([{ name: 'vc1', secret: CANARY_SECRET }])

    const changed = await api.call('vault.changePassword', { current: CANARY_PASSWORD, next: CANARY_PASSWORD + '-2' })
    expect(changed).toMatchObject({ ok: true, value: { state: 'unlocked' } })

    const wire = harness.frames.join('\n')
    expect(harness.frames.length).toBeGreaterThan(10)
    expect(wire).not.toContain(CANARY_PASSWORD)
    expect(wire).not.toContain(CANARY_SECRET)
    const vaultFile = fs.readFileSync(path.join(dataDir, 'vault.json'), 'utf8')
    expect(vaultFile).not.toContain(CANARY_SECRET)
  })

  it('auto-lock with a shortened idle timer: renderer calls keep it open, idle locks it, then calls needing secrets get VAULT_LOCKED', async () => {
    // One auto-lock "minute" is 400 ms here; idle is measured from the renderer's last call.
    harness = await start({ kdf: TINY, autoLockPollMs: 20, autoLockMinuteMs: 400 })
    const { api, host } = harness
    let lockedListeners = 0
    host.secrets.onLock(() => lockedListeners++)
    await api.call('vault.create', { password: CANARY_PASSWORD })
    expect(await api.call('vault.setAutoLock', { minutes: 1 })).toMatchObject({ ok: true, value: { autoLockMinutes: 1 } })

    // Busy for three times the limit: every call resets the idle clock.
    const busyUntil = Date.now() + 1200
    while (Date.now() < busyUntil) {
      await api.call('app.info', {})
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(host.secrets.isUnlocked()).toBe(true)

    await until('auto-lock', () => harness!.events.some((e) => (e as { reason?: string }).reason === 'idle'), 5000)
    expect(harness.events.at(-1)).toEqual({ state: 'locked', reason: 'idle' })
    expect(lockedListeners).toBe(1)
    expect(errorOf(await api.call('vault.setAutoLock', { minutes: 5 })).code).toBe('VAULT_LOCKED')
    let thrown: unknown
    try {
      host.secrets.read('profiles', z.unknown())
    } catch (err) {
      thrown = err
    }
    expect((thrown as PortholeError).code).toBe('VAULT_LOCKED')
    expect(await api.call('vault.status', {})).toMatchObject({ ok: true, value: { state: 'locked', autoLockMinutes: 1 } })
  })

  it('screen lock and suspend from the glue lock at once, with their reason', async () => {
    harness = await start({ kdf: TINY })
    const { api, host } = harness
    await api.call('vault.create', { password: CANARY_PASSWORD })
    host.vault.lock('screen-lock')
    await api.call('vault.unlock', { password: CANARY_PASSWORD })
    host.vault.lock('suspend')
    await until('both events', () => harness!.events.length >= 4)
    expect(harness.events).toEqual([
      { state: 'unlocked' },
      { state: 'locked', reason: 'screen-lock' },
      { state: 'unlocked' },
      { state: 'locked', reason: 'suspend' },
    ])
  })
})
