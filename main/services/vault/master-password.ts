import { PortholeError } from '../../../contract/errors'
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../../contract/vault'
import type { Log } from '../log/log'
import type { PasswordBackoff } from './backoff'
import { newKdfHeader, unwrapKey, wrapKey, type EnvelopeHeader, type RandomBytes } from './envelope'
import { deriveKey, type KdfParams } from './kdf'

/** Refuses a new master password outside the contract's bounds (main checks again what the renderer checked). */
export function checkNewPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new PortholeError('INVALID_INPUT', `The master password needs ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters.`)
  }
}

/** What the master password does: opens a header's wrapped data key (behind the backoff) and wraps a key under new costs. */
export class MasterPassword {
  constructor(
    private readonly options: { kdf: KdfParams; random: RandomBytes; backoff: PasswordBackoff; log: Log },
  ) {}

  /** The data key `header` wraps, or AUTH_FAILED (with the wait before the next try) or RATE_LIMITED. The caller zeroes it. */
  async open(password: string, header: EnvelopeHeader): Promise<Buffer> {
    const { backoff, log } = this.options
    backoff.check()
    if (password.length === 0 || password.length > MAX_PASSWORD_LENGTH) throw new PortholeError('AUTH_FAILED', 'Wrong master password.')
    const kek = await deriveKey(password, header.kdf.salt, header.kdf)
    try {
      const dataKey = unwrapKey(header, kek)
      backoff.succeed()
      return dataKey
    } catch (err) {
      if (err instanceof PortholeError && err.code === 'AUTH_FAILED') {
        const retryAfterMs = backoff.fail()
        log.warn('wrong master password', { retryAfterMs })
        throw new PortholeError('AUTH_FAILED', 'Wrong master password.', { detail: { retryAfterMs } })
      }
      throw err
    } finally {
      kek.fill(0)
    }
  }

  /** A header wrapping `dataKey` under `password` with the current costs and a fresh salt. */
  async wrap(password: string, dataKey: Buffer): Promise<EnvelopeHeader> {
    const { kdf, random } = this.options
    const kdfHeader = newKdfHeader(kdf, random)
    const kek = await deriveKey(password, kdfHeader.salt, kdfHeader)
    try {
      return wrapKey(kek, dataKey, kdfHeader, random)
    } finally {
      kek.fill(0)
    }
  }
}
