import { z } from 'zod'
import { damaged, openContents, type Envelope } from './envelope'

/*
 * The decrypted contents: named sections of JSON, `{"v":1,"sections":{"<name>":<json>,…}}`.
 * In memory every section stays serialized in its own Buffer, so locking can zero it; a
 * section becomes JS objects only while a caller reads it. (JS strings made on the way —
 * by JSON.parse, by the caller — cannot be wiped; they are short-lived and unreferenced.)
 */

const CONTENTS_VERSION = 1

/** Section names: short, printable, so they can never be confused with JSON syntax or paths. */
export const SectionName = z.string().regex(/^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/).max(64)

const ContentsSchema = z.strictObject({
  v: z.literal(CONTENTS_VERSION),
  sections: z.record(SectionName, z.unknown()),
})

/** Secret sections held in Buffers that `wipe` zeroes. */
export class Sections {
  private readonly map = new Map<string, Buffer>()

  /** Decrypts and parses an envelope's contents with a known-good data key; the plaintext is zeroed before this returns. */
  static open(env: Envelope, dataKey: Buffer): Sections {
    const plaintext = openContents(env, dataKey)
    try {
      return Sections.fromPlaintext(plaintext)
    } finally {
      plaintext.fill(0)
    }
  }

  /** Parses decrypted contents; VAULT_DAMAGED when they are not what this code writes. Does not keep `plaintext`. */
  static fromPlaintext(plaintext: Buffer): Sections {
    let parsed: z.infer<typeof ContentsSchema>
    try {
      parsed = ContentsSchema.parse(JSON.parse(plaintext.toString('utf8')))
    } catch (err) {
      throw damaged('contents are not valid', err)
    }
    const s = new Sections()
    for (const [name, value] of Object.entries(parsed.sections)) s.map.set(name, Buffer.from(JSON.stringify(value), 'utf8'))
    return s
  }

  /** The section's JSON value, or undefined. */
  get(name: string): unknown {
    const buf = this.map.get(name)
    return buf === undefined ? undefined : (JSON.parse(buf.toString('utf8')) as unknown)
  }

  /** Replaces a section (zeroing the old bytes); `undefined` removes it. */
  set(name: string, value: unknown): void {
    SectionName.parse(name)
    const old = this.map.get(name)
    if (value === undefined) this.map.delete(name)
    else {
      const json = JSON.stringify(value)
      if (json === undefined) throw new TypeError(`section ${name}: value is not JSON`)
      this.map.set(name, Buffer.from(json, 'utf8'))
    }
    old?.fill(0)
  }

  names(): string[] {
    return [...this.map.keys()]
  }

  /** The live Buffers (for tests that check locking zeroes them). */
  buffers(): Buffer[] {
    return [...this.map.values()]
  }

  /**
   * The contents serialized for encryption, as the framing plus the live section Buffers
   * (no copy of the plaintext is made, so there is none to wipe afterwards).
   */
  plaintextParts(): Buffer[] {
    const parts: Buffer[] = [Buffer.from(`{"v":${CONTENTS_VERSION},"sections":{`, 'utf8')]
    let first = true
    for (const [name, buf] of this.map) {
      parts.push(Buffer.from(`${first ? '' : ','}${JSON.stringify(name)}:`, 'utf8'), buf)
      first = false
    }
    parts.push(Buffer.from('}}', 'utf8'))
    return parts
  }

  /** Zeroes every section and forgets them. */
  wipe(): void {
    for (const buf of this.map.values()) buf.fill(0)
    this.map.clear()
  }
}
