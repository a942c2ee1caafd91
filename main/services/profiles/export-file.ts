// The encrypted export file: a JSON envelope
//   {format:'porthole-export', version:1, kdf:{alg:'argon2id', m, t, p, salt}, iv, check, ciphertext, tag}
// AES-256-GCM under a key derived from the user's export password with Argon2id, the
// canonical header (everything but ciphertext and tag) as additional data. `check` is a
// password verifier derived from the same Argon2id output, so a wrong password (AUTH_FAILED)
// can be told apart from a file that was modified after it was written (FILE_DAMAGED).
import crypto from 'node:crypto'
import { hashRaw, type Algorithm, type Version } from '@node-rs/argon2'
import { z } from 'zod'
import { PortholeError } from '../../../contract/errors'

/** Argon2id cost: `m` KiB of memory, `t` passes, `p` lanes. */
export interface KdfParams {
  m: number
  t: number
  p: number
}

/**
 * What exports are written with: the vault's discipline (DESIGN.md, "Secrets"), tuned to
 * about half a second here (2 cores, @node-rs/argon2 2.2: 256 MiB, t=10, p=4 measured
 * 0.40–0.57 s). Tests pass tiny parameters instead.
 */
export const EXPORT_KDF: Readonly<KdfParams> = Object.freeze({ m: 256 * 1024, t: 10, p: 4 })

/**
 * What an export file may ask for. The file is not trusted before its password is checked:
 * without a ceiling a planted file could make main allocate gigabytes or run for hours.
 */
const KDF_LIMITS = { mMax: 2 * 1024 * 1024, tMax: 64, pMax: 16 } as const

export const EXPORT_FORMAT = 'porthole-export'
export const EXPORT_VERSION = 1

const SALT_BYTES = 16
const IV_BYTES = 12
const CHECK_BYTES = 16

// The package declares these as `const enum`, which isolatedModules cannot read: spell the values.
const ARGON2ID = 2 as Algorithm
const VERSION_0x13 = 1 as Version

const Base64 = z.string().max(10_000_000).regex(/^[A-Za-z0-9+/]*={0,2}$/)

const Envelope = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  kdf: z.strictObject({
    alg: z.literal('argon2id'),
    m: z.number().int(),
    t: z.number().int(),
    p: z.number().int(),
    salt: Base64,
  }),
  iv: Base64,
  check: Base64,
  ciphertext: Base64,
  tag: Base64,
})
type Envelope = z.infer<typeof Envelope>

function kdfWithinLimits(k: KdfParams): boolean {
  return k.p >= 1 && k.p <= KDF_LIMITS.pMax && k.t >= 1 && k.t <= KDF_LIMITS.tMax && k.m >= 8 * k.p && k.m <= KDF_LIMITS.mMax
}

/** The header exactly as authenticated: fixed key order, built from values, never from the parsed file's own text. */
function canonicalHeader(e: Omit<Envelope, 'ciphertext' | 'tag'>): Buffer {
  const { alg, m, t, p, salt } = e.kdf
  return Buffer.from(JSON.stringify({ format: e.format, version: e.version, kdf: { alg, m, t, p, salt }, iv: e.iv, check: e.check }))
}

interface Keys {
  encryption: Buffer
  check: Buffer
}

/** Argon2id of the password (NFC, so the same password typed on macOS and elsewhere agrees), split by HKDF. */
async function deriveKeys(password: string, salt: Buffer, kdf: KdfParams): Promise<Keys> {
  const pw = Buffer.from(password.normalize('NFC'), 'utf8')
  let master: Buffer | undefined
  try {
    // hashRaw runs on the libuv pool: main keeps serving while Argon2 works.
    master = await hashRaw(pw, {
      algorithm: ARGON2ID,
      version: VERSION_0x13,
      memoryCost: kdf.m,
      timeCost: kdf.t,
      parallelism: kdf.p,
      outputLen: 32,
      salt,
    })
    const info = (label: string): Buffer => Buffer.from(`porthole-export v1 ${label}`)
    return {
      encryption: Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), info('aes-256-gcm key'), 32)),
      check: Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), info('password check'), CHECK_BYTES)),
    }
  } finally {
    pw.fill(0)
    master?.fill(0)
  }
}

/** Encrypts `plaintext` under `password`; returns the file's bytes (UTF-8 JSON). */
export async function sealExport(plaintext: Buffer, password: string, kdf: KdfParams = EXPORT_KDF): Promise<Buffer> {
  if (!kdfWithinLimits(kdf)) throw new RangeError('export KDF parameters out of range')
  const salt = crypto.randomBytes(SALT_BYTES)
  const iv = crypto.randomBytes(IV_BYTES)
  const keys = await deriveKeys(password, salt, kdf)
  try {
    const header = {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      kdf: { alg: 'argon2id' as const, ...kdf, salt: salt.toString('base64') },
      iv: iv.toString('base64'),
      check: keys.check.toString('base64'),
    } as const
    const cipher = crypto.createCipheriv('aes-256-gcm', keys.encryption, iv)
    cipher.setAAD(canonicalHeader(header))
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
    const envelope: Envelope = { ...header, ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') }
    return Buffer.from(JSON.stringify(envelope, null, 2) + '\n', 'utf8')
  } finally {
    keys.encryption.fill(0)
  }
}

function damaged(message: string): PortholeError {
  return new PortholeError('FILE_DAMAGED', message)
}

function parseEnvelope(file: Buffer): Envelope {
  let raw: unknown
  try {
    raw = JSON.parse(file.toString('utf8'))
  } catch {
    throw damaged('This is not a Porthole export file (it is not JSON).')
  }
  const head = z.looseObject({ format: z.string(), version: z.number() }).safeParse(raw)
  if (!head.success || head.data.format !== EXPORT_FORMAT) throw damaged('This is not a Porthole export file.')
  if (head.data.version !== EXPORT_VERSION) {
    throw new PortholeError('UNSUPPORTED', `This export was written by a newer Porthole (format version ${head.data.version}).`)
  }
  const parsed = Envelope.safeParse(raw)
  if (!parsed.success) throw damaged('The export file is damaged: its header is incomplete or malformed. Nothing was imported.')
  if (!kdfWithinLimits(parsed.data.kdf)) throw damaged('The export file asks for key-derivation costs Porthole does not accept.')
  return parsed.data
}

/**
 * Decrypts an export file. A wrong password is AUTH_FAILED; a file that is not an export,
 * is malformed, or was changed after it was written is FILE_DAMAGED, and nothing of it is used.
 */
export async function openExport(file: Buffer, password: string): Promise<Buffer> {
  const envelope = parseEnvelope(file)
  const salt = Buffer.from(envelope.kdf.salt, 'base64')
  const iv = Buffer.from(envelope.iv, 'base64')
  const tag = Buffer.from(envelope.tag, 'base64')
  const check = Buffer.from(envelope.check, 'base64')
  if (salt.length < 8 || iv.length !== IV_BYTES || tag.length !== 16 || check.length !== CHECK_BYTES) {
    throw damaged('The export file is damaged: its header is malformed. Nothing was imported.')
  }
  const keys = await deriveKeys(password, salt, envelope.kdf)
  try {
    if (!crypto.timingSafeEqual(keys.check, check)) {
      throw new PortholeError('AUTH_FAILED', 'The password does not open this export.')
    }
    const decipher = crypto.createDecipheriv('aes-256-gcm', keys.encryption, iv)
    decipher.setAAD(canonicalHeader(envelope))
    decipher.setAuthTag(tag)
    try {
      return Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, 'base64')), decipher.final()])
    } catch {
      throw damaged('The export file was modified or damaged after it was written. Nothing was imported.')
    }
  } finally {
    keys.encryption.fill(0)
  }
}
