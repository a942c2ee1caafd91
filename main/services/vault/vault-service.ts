import crypto from 'node:crypto'
import type { z } from 'zod'
import { PortholeError } from '../../../contract/errors'
import type { LockReason, VaultState, VaultStatus } from '../../../contract/vault'
import type { Log } from '../log/log'
import { AutoLock, type Timers } from './auto-lock'
import { PasswordBackoff } from './backoff'
import { Sections } from './contents'
import { damaged, parseEnvelope, sealEnvelope, systemRandom, type Envelope, type EnvelopeHeader, type RandomBytes } from './envelope'
import { DEFAULT_KDF, KEY_BYTES, kdfBelow, type KdfParams } from './kdf'
import { MasterPassword, checkNewPassword } from './master-password'
import { unavailableProtector, type KeyProtector } from './key-protector'
import { QuickUnlock } from './quick-unlock'
import type { SecretStore } from './secret-store'
import { SaveQueue } from './save-queue'
import {
  ensureDir,
  exists,
  modifiedAt,
  moveAside,
  promoteBackup,
  readIfExists,
  removeFile,
  removeStaleTemps,
  vaultPaths,
  writeFileAtomic,
  type VaultPaths,
} from './vault-file'

export const DEFAULT_AUTO_LOCK_MINUTES = 15
/** The vault's own settings live in the encrypted contents, so nobody can switch auto-lock off by editing a file. */
const PREFS_SECTION = 'vault.prefs'
const RESERVED_PREFIX = 'vault.'

export interface VaultOptions {
  /** The data directory (Electron's userData). */
  dir: string
  log: Log
  /** Argon2id costs for new vaults and re-wraps; tests pass tiny ones. */
  kdf?: KdfParams
  /** Quick unlock through the OS keychain; absent → refused. */
  protector?: KeyProtector
  /** Idle-time source for auto-lock; absent → no idle lock (screen lock and suspend still lock). */
  idleSeconds?: () => number
  autoLockPollMs?: number
  /** Length of an auto-lock minute; only tests shorten it. */
  autoLockMinuteMs?: number
  timers?: Timers
  now?: () => number
  random?: RandomBytes
  /** Told whenever the state changes (created, unlocked, locked with why). */
  onChange?: (state: VaultState, reason?: LockReason) => void
}

/** What the host passes through from its own options (the glue's keychain and idle source, tests' KDF costs). */
export type VaultHostOptions = Pick<VaultOptions, 'kdf' | 'protector' | 'idleSeconds' | 'autoLockPollMs' | 'autoLockMinuteMs'>

/** The vault as the host and the glue see it; other services get only its SecretStore face. */
export interface VaultService extends SecretStore {
  status(): Promise<VaultStatus>
  create(password: string): Promise<VaultStatus>
  unlock(password: string): Promise<VaultStatus>
  unlockQuick(): Promise<VaultStatus>
  /** Locks at once: zeroes the key and every section, tells onLock listeners. Safe to call when locked. */
  lock(reason: LockReason): void
  changePassword(current: string, next: string): Promise<VaultStatus>
  restoreBackup(password: string): Promise<VaultStatus>
  setAutoLock(minutes: number): Promise<VaultStatus>
  setQuickUnlock(enabled: boolean): Promise<VaultStatus>
  /** Resolves when every save queued so far is on disk. */
  flush(): Promise<void>
  /** For tests: the live Buffers that hold secrets while unlocked (not copies). */
  heldSecrets(): Buffer[]
  dispose(): Promise<void>
}

interface Unlocked {
  dataKey: Buffer
  header: EnvelopeHeader
  sections: Sections
}

function lockedError(): PortholeError {
  return new PortholeError('VAULT_LOCKED', 'The vault is locked.')
}

/** Creates the vault service over `<dir>/vault.json`. Nothing is read until the first call. */
export function createVault(options: VaultOptions): VaultService {
  const { log } = options
  const paths: VaultPaths = vaultPaths(options.dir)
  const kdf = options.kdf ?? DEFAULT_KDF
  const random = options.random ?? systemRandom
  const now = options.now ?? Date.now
  const backoff = new PasswordBackoff({ now })
  const master = new MasterPassword({ kdf, random, backoff, log })
  const saves = new SaveQueue()
  const quick = new QuickUnlock(options.protector ?? unavailableProtector('Quick unlock is not available here.'), paths.quick, saves)
  const lockListeners = new Set<() => void>()
  let open: Unlocked | undefined
  let autoLockMinutes = DEFAULT_AUTO_LOCK_MINUTES
  // Bumped by every lock, so an unlock that was deriving its key when the lock came is discarded.
  let epoch = 0
  let ops: Promise<unknown> = Promise.resolve()

  const autoLock =
    options.idleSeconds === undefined
      ? undefined
      : new AutoLock({
          idleSeconds: options.idleSeconds,
          onIdle: () => lock('idle'),
          ...(options.timers ? { timers: options.timers } : {}),
          ...(options.autoLockPollMs !== undefined ? { pollMs: options.autoLockPollMs } : {}),
          ...(options.autoLockMinuteMs !== undefined ? { minuteMs: options.autoLockMinuteMs } : {}),
        })

  /** Runs vault operations one at a time (two unlocks must not race to install their keys). */
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = ops.then(fn)
    ops = run.catch(() => undefined)
    return run
  }

  function requireOpen(): Unlocked {
    if (!open) throw lockedError()
    return open
  }

  function checkSection(section: string): void {
    if (section.startsWith(RESERVED_PREFIX)) throw new PortholeError('INVALID_INPUT', `Section ${section} belongs to the vault itself.`)
  }

  /** The file bytes of the current contents. Sealed at once, so a lock right after cannot lose the write. */
  function seal(state: Unlocked): Buffer {
    return sealEnvelope(state.header, state.dataKey, state.sections.plaintextParts(), random)
  }

  /** Seals the current contents and queues the write; resolves when it is durable. */
  function save(state: Unlocked, bytes: Buffer = seal(state)): Promise<void> {
    return saves.saveGeneration(paths, bytes).catch((err: unknown) => {
      const code = (err as NodeJS.ErrnoException | undefined)?.code
      log.error('saving the vault failed', { error: err instanceof Error ? err.message : String(err) })
      // The change stays in memory and goes out with the next save that succeeds.
      if (code === 'ENOSPC' || code === 'EDQUOT') throw new PortholeError('DISK_FULL', 'The disk is full: the vault could not be saved.', { cause: err })
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
        throw new PortholeError('PERMISSION_DENIED', 'The vault could not be saved: its folder is not writable.', { cause: err })
      }
      throw err
    })
  }

  function install(state: Unlocked, event: boolean): void {
    open = state
    const prefs = state.sections.get(PREFS_SECTION) as { autoLockMinutes?: unknown } | undefined
    const minutes = prefs?.autoLockMinutes
    autoLockMinutes = typeof minutes === 'number' && Number.isInteger(minutes) && minutes >= 0 && minutes <= 1440 ? minutes : DEFAULT_AUTO_LOCK_MINUTES
    autoLock?.arm(autoLockMinutes)
    if (event) options.onChange?.('unlocked')
  }

  function lock(reason: LockReason): void {
    epoch++
    const state = open
    if (!state) return
    open = undefined
    autoLock?.disarm()
    state.sections.wipe()
    state.dataKey.fill(0)
    log.info('vault locked', { reason })
    for (const listener of lockListeners) {
      try {
        listener()
      } catch (err) {
        log.error('a vault onLock listener failed', { error: err instanceof Error ? err.message : String(err) })
      }
    }
    options.onChange?.('locked', reason)
  }

  /** Adds what the user can do about a damaged file: the backup generation, when there is one. */
  async function withBackup(err: unknown): Promise<unknown> {
    if (!(err instanceof PortholeError) || err.code !== 'VAULT_DAMAGED') return err
    const savedAt = await modifiedAt(paths.backup)
    log.warn('vault file damaged', { reason: err.detail?.['reason'], backup: savedAt !== undefined })
    const message =
      savedAt === undefined ? err.message : `${err.message} The previous generation (saved ${savedAt.toISOString()}) can be restored.`
    return new PortholeError('VAULT_DAMAGED', message, {
      detail: { ...err.detail, backup: savedAt === undefined ? { available: false } : { available: true, savedAt: savedAt.toISOString() } },
      cause: err,
    })
  }

  async function readEnvelope(file: string): Promise<Envelope> {
    try {
      const bytes = await readIfExists(file)
      if (bytes === undefined) throw new PortholeError('NOT_FOUND', 'There is no vault yet.')
      return parseEnvelope(bytes)
    } catch (err) {
      if (err instanceof RangeError) throw await withBackup(damaged('file too large', err))
      throw await withBackup(err)
    }
  }

  async function status(): Promise<VaultStatus> {
    const [vaultExists, quickUnlock, backupAt] = await Promise.all([exists(paths.file), quick.state(), modifiedAt(paths.backup)])
    const s: VaultStatus = {
      state: open ? 'unlocked' : vaultExists ? 'locked' : 'absent',
      autoLockMinutes,
      quickUnlock,
      backup: backupAt === undefined ? { available: false } : { available: true, savedAt: backupAt.toISOString() },
    }
    const wait = backoff.retryAfterMs()
    if (wait > 0) s.retryAfterMs = wait
    return s
  }

  /** Unlocks with a data key whose envelope is already read, unless a lock came meanwhile. */
  function installIfCurrent(startEpoch: number, state: Unlocked): void {
    if (startEpoch !== epoch) {
      state.sections.wipe()
      state.dataKey.fill(0)
      throw new PortholeError('VAULT_LOCKED', 'The vault was locked while it was being unlocked.')
    }
    install(state, true)
  }

  const service: VaultService = {
    status,

    create(password) {
      // A lock that comes after this request, even before it starts, cancels it.
      const startEpoch = epoch
      return exclusive(async () => {
        checkNewPassword(password)
        if (await exists(paths.file)) throw new PortholeError('VAULT_EXISTS', 'A vault already exists here.')
        await ensureDir(paths.dir)
        // Never delete user data: an orphaned backup or a stale quick-unlock key is moved aside.
        if (await exists(paths.backup)) await moveAside(paths.backup, new Date(now()))
        if (await exists(paths.quick)) await removeFile(paths.quick)
        const dataKey = random(KEY_BYTES)
        const header = await master.wrap(password, dataKey)
        const sections = new Sections()
        sections.set(PREFS_SECTION, { autoLockMinutes: DEFAULT_AUTO_LOCK_MINUTES })
        const state: Unlocked = { dataKey, header, sections }
        await save(state)
        log.info('vault created', { kdf: { m: header.kdf.m, t: header.kdf.t, p: header.kdf.p } })
        installIfCurrent(startEpoch, state)
        return status()
      })
    },

    unlock(password) {
      // A lock that comes after this request, even before it starts, cancels it.
      const startEpoch = epoch
      return exclusive(async () => {
        if (open) return status()
        backoff.check()
        const env = await readEnvelope(paths.file)
        const dataKey = await master.open(password, env)
        let sections: Sections
        try {
          sections = Sections.open(env, dataKey)
        } catch (err) {
          dataKey.fill(0)
          throw await withBackup(err)
        }
        const state: Unlocked = { dataKey, header: env, sections }
        installIfCurrent(startEpoch, state)
        await saves.run(() => removeStaleTemps(paths.dir))
        log.info('vault unlocked')
        if (kdfBelow(env.kdf, kdf)) {
          // Costs were raised since this vault was written: re-wrap the same data key with them.
          try {
            state.header = await master.wrap(password, state.dataKey)
            if (open === state) await save(state)
            log.info('vault key re-wrapped with raised KDF costs', { from: { m: env.kdf.m, t: env.kdf.t }, to: { m: kdf.m, t: kdf.t } })
          } catch (err) {
            log.warn('re-wrapping the vault key failed; keeping the old costs', { error: err instanceof Error ? err.message : String(err) })
          }
        }
        return status()
      })
    },

    unlockQuick() {
      // A lock that comes after this request, even before it starts, cancels it.
      const startEpoch = epoch
      return exclusive(async () => {
        if (open) return status()
        const env = await readEnvelope(paths.file)
        const dataKey = await quick.dataKey()
        let sections: Sections
        try {
          sections = Sections.open(env, dataKey)
        } catch {
          // The file passed its checksum, so a key that does not open it is a stale key (the vault was replaced).
          dataKey.fill(0)
          return quick.rejectStaleKey()
        }
        installIfCurrent(startEpoch, { dataKey, header: env, sections })
        log.info('vault unlocked (quick unlock)')
        return status()
      })
    },

    lock,

    changePassword(current, next) {
      return exclusive(async () => {
        checkNewPassword(next)
        const state = requireOpen()
        const oldKey = await master.open(current, state.header)
        if (open !== state) {
          oldKey.fill(0)
          throw lockedError()
        }
        const matches = crypto.timingSafeEqual(oldKey, state.dataKey)
        oldKey.fill(0)
        if (!matches) throw new PortholeError('INTERNAL', 'The vault key in memory does not match the file.')
        // A new data key, not just a re-wrap: anyone holding the old password and an old copy
        // of the file (a backup, a synced folder) must not be able to read what comes next.
        const dataKey = random(KEY_BYTES)
        const header = await master.wrap(next, dataKey)
        if (open !== state) {
          dataKey.fill(0)
          throw lockedError()
        }
        const oldDataKey = state.dataKey
        state.dataKey = dataKey
        state.header = header
        oldDataKey.fill(0)
        const bytes = seal(state)
        await save(state, bytes)
        // The backup would still open with the old password: replace it with this generation.
        await saves.run(() => writeFileAtomic(paths.backup, bytes))
        await quick.replaceKey(dataKey)
        log.info('master password changed (data key rotated)')
        return status()
      })
    },

    restoreBackup(password) {
      // A lock that comes after this request, even before it starts, cancels it.
      const startEpoch = epoch
      return exclusive(async () => {
        if (open) throw new PortholeError('CONFLICT', 'Lock the vault before restoring its backup.')
        backoff.check()
        let bytes: Buffer | undefined
        let env: Envelope
        try {
          bytes = await readIfExists(paths.backup)
          if (bytes === undefined) throw new PortholeError('NOT_FOUND', 'There is no backup of the vault.')
          env = parseEnvelope(bytes)
        } catch (caught) {
          const err = caught instanceof RangeError ? damaged('file too large', caught) : caught
          if (err instanceof PortholeError && err.code === 'VAULT_DAMAGED') {
            throw new PortholeError('VAULT_DAMAGED', 'The backup is damaged too; nothing was loaded.', { detail: { ...err.detail, backup: { available: false } } })
          }
          throw err
        }
        const dataKey = await master.open(password, env)
        let sections: Sections
        try {
          sections = Sections.open(env, dataKey)
        } catch (err) {
          dataKey.fill(0)
          throw err
        }
        await saves.run(() => promoteBackup(paths, bytes))
        log.warn('vault restored from its backup; the replaced file is kept as vault.json.damaged')
        installIfCurrent(startEpoch, { dataKey, header: env, sections })
        return status()
      })
    },

    setAutoLock(minutes) {
      return exclusive(async () => {
        const state = requireOpen()
        if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) throw new PortholeError('INVALID_INPUT', 'Auto-lock takes 0 to 1440 minutes.')
        state.sections.set(PREFS_SECTION, { autoLockMinutes: minutes })
        autoLockMinutes = minutes
        autoLock?.arm(minutes)
        await save(state)
        return status()
      })
    },

    setQuickUnlock(enabled) {
      return exclusive(async () => {
        if (!enabled) {
          await quick.disable()
          return status()
        }
        const state = requireOpen()
        await quick.enable(state.dataKey)
        return status()
      })
    },

    flush: () => saves.idle(),

    heldSecrets() {
      return open ? [open.dataKey, ...open.sections.buffers()] : []
    },

    async dispose() {
      lock('manual')
      await saves.idle()
    },

    isUnlocked: () => open !== undefined,

    read<T>(section: string, schema: z.ZodType<T>): T | undefined {
      checkSection(section)
      const value = requireOpen().sections.get(section)
      return value === undefined ? undefined : schema.parse(value)
    },

    write(section, value) {
      checkSection(section)
      const state = requireOpen()
      state.sections.set(section, value)
      return save(state)
    },

    onLock(listener) {
      lockListeners.add(listener)
      return () => lockListeners.delete(listener)
    },
  }
  return service
}
