// Local names for guest files. A guest may name a file anything its filesystem allows (a Linux
// guest: anything but '/' and NUL), and the name arrives from a server we do not control, so the
// name is made safe on every OS at once — a download folder may be synced to another OS, and
// the rules are the same wherever Porthole runs: no path separators or traversal, no characters
// Windows forbids, no control or bidi-override characters (a name must look like what it is),
// no Windows device names (CON, NUL.txt, COM1…), no trailing dots or spaces, at most
// MAX_NAME_BYTES of UTF-8 with the extension kept.

/** Longest sanitized name in UTF-8 bytes: 255 is the common limit, minus room for " (9999)" and ".part". */
export const MAX_NAME_BYTES = 240
/** The whole name with a collision suffix and `.part` stays within this. */
export const MAX_PART_NAME_BYTES = 255

const FALLBACK = 'download'
/** Longest extension kept apart when a long name is shortened. */
const MAX_EXTENSION_BYTES = 24

/** Characters Windows forbids in names, C0/C1 controls, DEL, and invisible direction marks. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu
/** Device names Windows reserves with any extension (also the superscript-digit COM¹ forms). */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8')

/** Cuts `s` to at most `max` UTF-8 bytes without splitting a character. */
function cutBytes(s: string, max: number): string {
  if (byteLength(s) <= max) return s
  let out = ''
  let used = 0
  for (const ch of s) {
    const n = byteLength(ch)
    if (used + n > max) break
    out += ch
    used += n
  }
  return out
}

function stripEnds(s: string): string {
  // Windows drops trailing dots and spaces (so `a.` and `a` collide); leading spaces hide names.
  return s.replace(/[. ]+$/u, '').replace(/^ +/u, '')
}

/** Splits at the last dot that is not the first character (`.bashrc` has no extension). */
function splitExtension(name: string): [string, string] {
  const dot = name.lastIndexOf('.')
  if (dot <= 0) return [name, '']
  return [name.slice(0, dot), name.slice(dot)]
}

/** Whether Windows would open a device instead of a file for this name. */
export function isReservedName(name: string): boolean {
  const base = name.split('.')[0] ?? ''
  return RESERVED.test(base.replace(/ +$/u, ''))
}

/** A name that is safe to create in any folder on Linux, macOS and Windows; never empty. */
export function safeFileName(raw: string): string {
  let name = raw.normalize('NFC').replace(UNSAFE, '_')
  name = stripEnds(name)
  // Only dots (and the spaces stripped above): `.`, `..`, `...` are not names.
  if (/^\.*$/u.test(name)) name = FALLBACK
  if (isReservedName(name)) name = `_${name}`
  if (byteLength(name) > MAX_NAME_BYTES) {
    const [base, ext] = splitExtension(name)
    const keepExt = byteLength(ext) <= MAX_EXTENSION_BYTES ? ext : ''
    name = stripEnds(cutBytes(base, MAX_NAME_BYTES - byteLength(keepExt))) + keepExt
    name = stripEnds(cutBytes(name, MAX_NAME_BYTES))
    if (/^\.*$/u.test(name)) name = FALLBACK
  }
  return name
}

/** The n-th alternative of a name when it is taken: `report (1).csv`, `report (2).csv`, … */
export function withSuffix(name: string, n: number): string {
  if (n === 0) return name
  const [base, ext] = splitExtension(name)
  return `${base} (${n})${ext}`
}
