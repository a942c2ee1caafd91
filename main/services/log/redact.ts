/**
 * The log redactor (DESIGN.md, "Secrets"): every line main writes passes through it. It masks
 * values, never names: `token=***`, `"password":"***"`, `Authorization: Bearer ***`,
 * `wss://esx/ticket/***`. Patterns catch what looks like a credential; exact values the vault has
 * decrypted (passwords, session ids) are registered with `addSecret` and caught wherever they appear.
 *
 * Every quantifier that can meet a long run of text is bounded or followed by nothing that can
 * fail, so a hostile multi-megabyte error body cannot make a log call quadratic.
 */

export const MASK = '***'

/** Key names whose values are credentials (case-insensitive, anywhere in the name). */
const KEYWORD = String.raw`(?:password|passwd|passphrase|secret|token|ticket|session|authorization|cookie|api[-_]?key|credential|private[-_]?key)`
const SENSITIVE_KEY = new RegExp(KEYWORD, 'i')
/** A whole string that is a header or field name, e.g. in undici's raw header arrays. */
const SENSITIVE_NAME = new RegExp(String.raw`^[\w.-]{0,40}${KEYWORD}[\w.-]{0,40}$`, 'i')

const SCHEMES = String.raw`(?:Bearer|Basic|OAuth|Negotiate|Digest)`

/** `Cookie: a=1; b=2`: every cookie is masked, up to the end of the line. */
const COOKIE_HEADER = /((?:set-)?cookie2?\s{0,8}:\s{0,8})([^\r\n"]+)/gi
/** `Bearer …`, `Basic …`, `OAuth …` (ZStack), wherever they stand. */
const AUTH_SCHEME = new RegExp(String.raw`(${SCHEMES}\s{1,8})([^\s"',;]+)`, 'gi')
/** `vmrc://clone:<ticket>@vc/`, `https://user:password@host/`. */
const URL_USERINFO = /([a-z][a-z0-9+.-]{0,30}:\/\/[^\s/:@]{0,256}:)([^\s@/]{1,1024})@/gi
/** WebMKS: `wss://esx:443/ticket/<id>`. */
const TICKET_PATH = /(\/ticket\/)([^/?#\s"'<>\\]+)/gi
/**
 * key <separator> value, in query strings (also percent-encoded, as Nova's `path=%3Ftoken%3D…`),
 * headers, JSON (also JSON inside a JSON string), util.inspect output and prose.
 */
const KEY_VALUE = new RegExp(
  String.raw`(${KEYWORD}[\w.-]{0,40})` +
    String.raw`((?:\\?["'])?\s{0,8}(?::|=|%3[Dd]|%3[Aa]|%253[Dd]|%253[Aa])\s{0,8})` +
    // A JSON string inside a JSON string: each escape of the inner one is escaped once more.
    String.raw`(\\"(?:[^\\"]|\\[^\\"]|\\\\(?:\\"|\\\\|\\[^\\"]|[^\\"]))*(?:\\"|$)` +
    String.raw`|"(?:[^"\\]|\\.)*(?:"|$)|'[^']*(?:'|$)|(?![{[](?:\s{0,8}["']|\s{1,8}\w))(?:${SCHEMES}\s{1,8})?[^\s"'&,;<>\\]+)`,
  'gi',
)
// An object or array after the key (`"token": {"expires_at": …}`, `token: { id: … }`) is left for
// the keys inside it: an unquoted value cannot hold quotes or whitespace, so no secret hides there.

const SCHEME_PREFIX = new RegExp(String.raw`^${SCHEMES}\s{1,8}`, 'i')

function maskValue(value: string): string {
  for (const quote of ['\\"', '"', "'"]) {
    if (value.startsWith(quote)) {
      const closed = value.length >= 2 * quote.length && value.endsWith(quote)
      return quote + MASK + (closed ? quote : '')
    }
  }
  const scheme = SCHEME_PREFIX.exec(value)
  return scheme ? scheme[0] + MASK : MASK
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The forms a secret takes in log text: as is, URL-encoded, and escaped inside a JSON string. */
function secretForms(secret: string): string[] {
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1)])
  try {
    forms.add(encodeURIComponent(secret))
  } catch {
    // A lone surrogate cannot be URL-encoded, and then it cannot appear URL-encoded either.
  }
  return [...forms]
}

/** Secrets shorter than this are not matched as exact values: they would shred every line. */
export const MIN_SECRET_LENGTH = 4

function secretsPattern(secrets: Iterable<string>): RegExp | undefined {
  const forms = new Set<string>()
  for (const s of secrets) if (s.length >= MIN_SECRET_LENGTH) for (const f of secretForms(s)) forms.add(f)
  if (forms.size === 0) return undefined
  // Longest first, so a secret that contains another is masked whole.
  const sorted = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp)
  return new RegExp(sorted.join('|'), 'g')
}

function redactWith(text: string, secrets: RegExp | undefined): string {
  // Exact secrets first: a pattern that masks part of one would leave the rest unrecognizable.
  let out = secrets ? text.replace(secrets, MASK) : text
  out = out.replace(COOKIE_HEADER, (_m, head: string) => head + MASK)
  out = out.replace(AUTH_SCHEME, (_m, scheme: string) => scheme + MASK)
  out = out.replace(URL_USERINFO, (_m, head: string) => `${head}${MASK}@`)
  out = out.replace(TICKET_PATH, (_m, head: string) => head + MASK)
  out = out.replace(KEY_VALUE, (_m, key: string, sep: string, value: string) => key + sep + maskValue(value))
  return out
}

const MAX_DEPTH = 12

function redactStructured(value: unknown, secrets: RegExp | undefined, seen: WeakSet<object>, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      return redactWith(value, secrets)
    case 'number':
    case 'boolean':
    case 'undefined':
      return value
    case 'bigint':
      return `${value}n`
    case 'symbol':
      return redactWith(value.toString(), secrets)
    case 'function':
      return `[Function ${redactWith(value.name, secrets) || 'anonymous'}]`
  }
  if (value === null) return null
  const obj = value as object
  if (seen.has(obj)) return '[Circular]'
  if (depth >= MAX_DEPTH) return '[Too deep]'
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString()
  if (obj instanceof URL) return redactWith(obj.href, secrets)
  if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) return `[${obj.byteLength} bytes]`
  seen.add(obj)
  try {
    const walk = (v: unknown): unknown => redactStructured(v, secrets, seen, depth + 1)
    if (Array.isArray(obj)) {
      const out: unknown[] = []
      for (let i = 0; i < obj.length; i++) {
        const prev: unknown = obj[i - 1]
        // ['X-Auth-Token', '<token>', …]: a name followed by its value.
        out.push(typeof prev === 'string' && SENSITIVE_NAME.test(prev) && obj[i] != null ? MASK : walk(obj[i]))
      }
      return out
    }
    if (obj instanceof Map) return walk(Object.fromEntries([...obj.entries()].map(([k, v]) => [String(k), v])))
    if (obj instanceof Set) return walk([...obj])
    const out: Record<string, unknown> = {}
    if (obj instanceof Error) {
      out['name'] = redactWith(obj.name, secrets)
      out['message'] = redactWith(obj.message, secrets)
      if (obj.stack !== undefined) out['stack'] = redactWith(obj.stack, secrets)
      if (obj.cause !== undefined) out['cause'] = walk(obj.cause)
    }
    for (const key of Object.keys(obj)) {
      let v: unknown
      try {
        v = (obj as Record<string, unknown>)[key]
      } catch {
        v = '[Unreadable]'
      }
      const safeKey = redactWith(key, secrets)
      out[safeKey] = SENSITIVE_KEY.test(key) && v !== null && v !== undefined && typeof v !== 'boolean' ? MASK : walk(v)
    }
    return out
  } finally {
    seen.delete(obj)
  }
}

/** Masks credentials in a piece of text; `secrets` are exact values to mask too. Pure. */
export function redactText(text: string, secrets: Iterable<string> = []): string {
  return redactWith(text, secretsPattern(secrets))
}

/** A redacted deep copy of log meta (cycle-safe, depth-bounded): values of credential-named keys masked, strings redacted. Pure. */
export function redactValue(value: unknown, secrets: Iterable<string> = []): unknown {
  return redactStructured(value, secretsPattern(secrets), new WeakSet(), 0)
}

export interface Redactor {
  text(text: string): string
  value(value: unknown): unknown
  /** Registers an exact secret (the vault does so for each value it decrypts); returns its unregister. */
  addSecret(secret: string): () => void
  removeSecret(secret: string): void
  /** Forgets every registered secret (the vault locked). */
  clearSecrets(): void
}

/** A redactor with its own set of registered secrets. */
export function createRedactor(): Redactor {
  const counts = new Map<string, number>()
  let pattern: RegExp | undefined
  let stale = false
  const current = (): RegExp | undefined => {
    if (stale) {
      pattern = secretsPattern(counts.keys())
      stale = false
    }
    return pattern
  }
  const removeSecret = (secret: string): void => {
    const n = counts.get(secret)
    if (n === undefined) return
    if (n > 1) counts.set(secret, n - 1)
    else counts.delete(secret)
    stale = true
  }
  return {
    text: (text) => redactWith(text, current()),
    value: (value) => redactStructured(value, current(), new WeakSet(), 0),
    addSecret(secret) {
      if (secret.length < MIN_SECRET_LENGTH) return () => undefined
      counts.set(secret, (counts.get(secret) ?? 0) + 1)
      stale = true
      let registered = true
      return () => {
        if (!registered) return
        registered = false
        removeSecret(secret)
      }
    },
    removeSecret,
    clearSecrets() {
      counts.clear()
      stale = true
    },
  }
}

/** The process-wide redactor: the vault registers secrets here, and every log writes through it. */
export const redactor: Redactor = createRedactor()
