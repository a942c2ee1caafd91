import crypto from 'node:crypto'
import { z } from 'zod'
import { PortholeError } from '../../../contract/errors'
import { KEY_BYTES, SALT_BYTES, kdfWithinLimits, type KdfParams } from './kdf'

/*
 * The vault file: one line of JSON, every binary field base64.
 *
 *   {"format":1,
 *    "kdf":{"alg":"argon2id","v":19,"m":…,"t":…,"p":…,"salt":…},
 *    "wrappedKey":{"iv":…,"ct":…,"tag":…},      data key under AES-256-GCM(Argon2id(password)), AAD = {format,kdf}
 *    "iv":…,"ciphertext":…,"tag":…,             contents under AES-256-GCM(data key), AAD = {format,kdf,wrappedKey}
 *    "checksum":…}                              SHA-256 of this same JSON without the checksum member
 *
 * Each AAD is the compact JSON of the members named, in the order shown (see wrapAad, headerAad).
 *
 * Telling damage from a wrong password: GCM alone cannot, since a flipped bit in the salt,
 * the KDF costs or the wrapped key fails the unwrap exactly as a wrong password does. So
 * before any password is tried, (1) the file must be byte for byte the canonical
 * serialization of what it parses to (no stray whitespace, no lenient base64), and (2) the
 * checksum must match. Any accidental change anywhere in the file fails one of these and
 * reads as VAULT_DAMAGED without running the KDF. The checksum is not a secret and not an
 * authenticator: someone who edits the file on purpose and recomputes it gets AUTH_FAILED
 * (header edited) or VAULT_DAMAGED (contents edited, caught by GCM) — never a loaded vault.
 */

export const FORMAT = 1
export const IV_BYTES = 12
export const TAG_BYTES = 16
const ARGON2_VERSION = 19

export interface KdfHeader extends KdfParams {
  alg: 'argon2id'
  v: typeof ARGON2_VERSION
  salt: Buffer
}
export interface WrappedKey {
  iv: Buffer
  ct: Buffer
  tag: Buffer
}
/** The authenticated, non-secret part of the envelope; the service keeps it while unlocked to seal new generations. */
export interface EnvelopeHeader {
  format: typeof FORMAT
  kdf: KdfHeader
  wrappedKey: WrappedKey
}
export interface Envelope extends EnvelopeHeader {
  iv: Buffer
  ciphertext: Buffer
  tag: Buffer
}

export type RandomBytes = (n: number) => Buffer
export const systemRandom: RandomBytes = (n) => crypto.randomBytes(n)

const DAMAGED_MESSAGE = 'The vault file is damaged or has been tampered with; nothing was loaded.'

/** The error for a file that is not a whole, untouched vault. `reason` says which check failed (no secrets). */
export function damaged(reason: string, cause?: unknown): PortholeError {
  return new PortholeError('VAULT_DAMAGED', DAMAGED_MESSAGE, { detail: { reason }, cause })
}

function wrongPassword(): PortholeError {
  return new PortholeError('AUTH_FAILED', 'Wrong master password.')
}

const b64 = z.string().max(64 * 1024 * 1024)
const FileSchema = z.strictObject({
  format: z.literal(FORMAT),
  kdf: z.strictObject({
    alg: z.literal('argon2id'),
    v: z.literal(ARGON2_VERSION),
    m: z.number().int(),
    t: z.number().int(),
    p: z.number().int(),
    salt: b64,
  }),
  wrappedKey: z.strictObject({ iv: b64, ct: b64, tag: b64 }),
  iv: b64,
  ciphertext: b64,
  tag: b64,
  checksum: b64,
})
type FileJson = z.infer<typeof FileSchema>

function kdfJson(kdf: KdfHeader): FileJson['kdf'] {
  return { alg: kdf.alg, v: kdf.v, m: kdf.m, t: kdf.t, p: kdf.p, salt: kdf.salt.toString('base64') }
}

function wrappedJson(w: WrappedKey): FileJson['wrappedKey'] {
  return { iv: w.iv.toString('base64'), ct: w.ct.toString('base64'), tag: w.tag.toString('base64') }
}

/** AAD of the wrapped data key: the format and the KDF that produced the wrapping key. */
export function wrapAad(format: number, kdf: KdfHeader): Buffer {
  return Buffer.from(JSON.stringify({ format, kdf: kdfJson(kdf) }), 'utf8')
}

/** AAD of the contents: the whole header, so a header from another generation or password cannot be spliced in. */
export function headerAad(h: EnvelopeHeader): Buffer {
  return Buffer.from(JSON.stringify({ format: h.format, kdf: kdfJson(h.kdf), wrappedKey: wrappedJson(h.wrappedKey) }), 'utf8')
}

function checksumOf(json: string): string {
  return crypto.createHash('sha256').update(json, 'utf8').digest('base64')
}

/** A new KDF header with a fresh salt. */
export function newKdfHeader(params: KdfParams, random: RandomBytes = systemRandom): KdfHeader {
  return { alg: 'argon2id', v: ARGON2_VERSION, m: params.m, t: params.t, p: params.p, salt: random(SALT_BYTES) }
}

/** Wraps the data key under the password-derived key, binding it to `kdf`. */
export function wrapKey(kek: Buffer, dataKey: Buffer, kdf: KdfHeader, random: RandomBytes = systemRandom): EnvelopeHeader {
  const iv = random(IV_BYTES)
  const cipher = crypto.createCipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(wrapAad(FORMAT, kdf))
  const ct = Buffer.concat([cipher.update(dataKey), cipher.final()])
  return { format: FORMAT, kdf, wrappedKey: { iv, ct, tag: cipher.getAuthTag() } }
}

/** The data key, or AUTH_FAILED when the password-derived key does not open it. The caller zeroes the result. */
export function unwrapKey(header: EnvelopeHeader, kek: Buffer): Buffer {
  const { iv, ct, tag } = header.wrappedKey
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES })
    decipher.setAAD(wrapAad(header.format, header.kdf))
    decipher.setAuthTag(tag)
    const key = decipher.update(ct)
    try {
      decipher.final()
    } catch {
      key.fill(0)
      throw wrongPassword()
    }
    return key
  } catch (err) {
    if (err instanceof PortholeError) throw err
    throw wrongPassword()
  }
}

/** Encrypts `plaintext` (one Buffer or consecutive parts) under the data key and serializes the whole file. */
export function sealEnvelope(
  header: EnvelopeHeader,
  dataKey: Buffer,
  plaintext: Buffer | readonly Buffer[],
  random: RandomBytes = systemRandom,
): Buffer {
  const iv = random(IV_BYTES)
  const cipher = crypto.createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(headerAad(header))
  const chunks = (Buffer.isBuffer(plaintext) ? [plaintext] : plaintext).map((part) => cipher.update(part))
  chunks.push(cipher.final())
  const ciphertext = Buffer.concat(chunks)
  const tag = cipher.getAuthTag()
  // Byte for byte what JSON.stringify of the body gives (base64 needs no escaping), built
  // without copying the large ciphertext string around: saves stay cheap for big vaults.
  const head = JSON.stringify({
    format: header.format,
    kdf: kdfJson(header.kdf),
    wrappedKey: wrappedJson(header.wrappedKey),
    iv: iv.toString('base64'),
    ciphertext: '',
  })
  const parts = [
    Buffer.from(head.slice(0, -2), 'utf8'),
    Buffer.from(ciphertext.toString('base64'), 'latin1'),
    Buffer.from(`","tag":"${tag.toString('base64')}"`, 'utf8'),
  ]
  const hash = crypto.createHash('sha256')
  for (const part of parts) hash.update(part)
  const checksum = hash.update('}').digest('base64')
  parts.push(Buffer.from(`,"checksum":"${checksum}"}\n`, 'utf8'))
  return Buffer.concat(parts)
}

/** Decodes base64 that must be canonical (Node's decoder skips stray characters) and of an exact length. */
function strictB64(value: string, field: string, length?: number): Buffer {
  const buf = Buffer.from(value, 'base64')
  if (buf.toString('base64') !== value) throw damaged(`${field}: not canonical base64`)
  if (length !== undefined && buf.length !== length) throw damaged(`${field}: wrong length`)
  return buf
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Parses and checks a vault file without any password: VAULT_DAMAGED unless every byte is
 * where a whole, untouched file would have it; UNSUPPORTED for a newer format.
 */
export function parseEnvelope(bytes: Buffer): Envelope {
  let raw: unknown
  try {
    raw = JSON.parse(utf8.decode(bytes))
  } catch (err) {
    throw damaged(bytes.length === 0 ? 'empty' : 'not JSON (truncated?)', err)
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw damaged('not an object')
  if (!Buffer.from(JSON.stringify(raw) + '\n', 'utf8').equals(bytes)) throw damaged('not in canonical form')
  const { checksum, ...rest } = raw as Record<string, unknown>
  if (typeof checksum !== 'string' || checksumOf(JSON.stringify(rest)) !== checksum) throw damaged('checksum mismatch')
  const format = (raw as { format?: unknown }).format
  if (typeof format === 'number' && Number.isInteger(format) && format > FORMAT) {
    throw new PortholeError('UNSUPPORTED', 'This vault was written by a newer version of Porthole; update Porthole to open it.', {
      detail: { format },
    })
  }
  const parsed = FileSchema.safeParse(raw)
  if (!parsed.success) throw damaged('unexpected fields')
  const f = parsed.data
  const kdf: KdfHeader = {
    alg: f.kdf.alg,
    v: f.kdf.v,
    m: f.kdf.m,
    t: f.kdf.t,
    p: f.kdf.p,
    salt: strictB64(f.kdf.salt, 'kdf.salt', SALT_BYTES),
  }
  if (!kdfWithinLimits(kdf)) throw damaged('KDF parameters out of range')
  return {
    format: f.format,
    kdf,
    wrappedKey: {
      iv: strictB64(f.wrappedKey.iv, 'wrappedKey.iv', IV_BYTES),
      ct: strictB64(f.wrappedKey.ct, 'wrappedKey.ct', KEY_BYTES),
      tag: strictB64(f.wrappedKey.tag, 'wrappedKey.tag', TAG_BYTES),
    },
    iv: strictB64(f.iv, 'iv', IV_BYTES),
    ciphertext: strictB64(f.ciphertext, 'ciphertext'),
    tag: strictB64(f.tag, 'tag', TAG_BYTES),
  }
}

/** The decrypted contents, or VAULT_DAMAGED when GCM refuses them (the key was right, so the file was altered). */
export function openContents(env: Envelope, dataKey: Buffer): Buffer {
  const decipher = crypto.createDecipheriv('aes-256-gcm', dataKey, env.iv, { authTagLength: TAG_BYTES })
  decipher.setAAD(headerAad(env))
  decipher.setAuthTag(env.tag)
  const plaintext = decipher.update(env.ciphertext)
  try {
    decipher.final()
  } catch (err) {
    plaintext.fill(0)
    throw damaged('contents fail authentication', err)
  }
  return plaintext
}
