import { MIN_PASSWORD_LENGTH } from '../../../../contract/vault'

/**
 * A small, offline estimate of how hard a master password is to guess: character-pool entropy,
 * with runs that add little (repeats, sequences, keyboard rows) counted as nearly free and a
 * short list of the passwords every cracker tries first. Not zxcvbn (its dictionaries are
 * megabytes); enough to steer people away from "Password1!" and towards a few random words.
 */
export type StrengthScore = 0 | 1 | 2 | 3 | 4

export interface Strength {
  score: StrengthScore
  /** "Very weak" … "Strong". */
  label: string
  /** The estimate behind the score, rounded (shown to people who want it). */
  bits: number
  /** What makes it weak, most important first. */
  warnings: string[]
}

export const STRENGTH_LABELS: readonly string[] = ['Very weak', 'Weak', 'Fair', 'Good', 'Strong']

/** Bits needed for each score: an offline guesser at the vault's Argon2 cost needs ~2^bits × 0.6 s. */
const THRESHOLDS: readonly [StrengthScore, number][] = [
  [4, 80],
  [3, 60],
  [2, 40],
  [1, 28],
]

/** The passwords (and stems) tried first; compared after lower-casing, undoing l33t and stripping trailing digits and symbols. */
const COMMON = new Set(
  [
    'password', 'passw0rd', 'letmein', 'welcome', 'qwerty', 'qwertyuiop', 'asdfgh', 'azerty', 'iloveyou', 'admin',
    'administrator', 'root', 'toor', 'changeme', 'secret', 'master', 'monkey', 'dragon', 'football', 'baseball',
    'sunshine', 'princess', 'shadow', 'superman', 'trustno1', 'abc', 'abcdef', 'abcdefgh', 'login', 'default', 'test',
    'guest', 'vmware', 'vcenter', 'vsphere', 'esxi', 'openstack', 'zstack', 'porthole', 'datacenter', 'summer',
    'winter', 'spring', 'autumn', 'hello', 'whatever', 'starwars', 'computer', 'internet', 'company', 'p@ssword',
  ].map((w) => w.toLowerCase()),
)

const LEET: Record<string, string> = { '0': 'o', '1': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' }

const KEYBOARD_ROWS = ['`1234567890-=', 'qwertyuiop[]\\', "asdfghjkl;'", 'zxcvbnm,./', 'azertyuiop', 'qwertzuiop']

function poolSize(password: string): number {
  let pool = 0
  if (/[a-z]/.test(password)) pool += 26
  if (/[A-Z]/.test(password)) pool += 26
  if (/[0-9]/.test(password)) pool += 10
  if (/[ -/:-@[-`{-~]/.test(password)) pool += 33
  // Anything beyond ASCII (accents, other scripts): a generous but bounded guess.
  if (/[^\x20-\x7e]/.test(password)) pool += 100
  return Math.max(pool, 1)
}

function keyboardNeighbours(a: string, b: string): boolean {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  return KEYBOARD_ROWS.some((row) => {
    const i = row.indexOf(x)
    return i !== -1 && (row[i + 1] === y || row[i - 1] === y)
  })
}

function isCommon(password: string): boolean {
  const lower = password.toLowerCase()
  const stem = lower.replace(/[\d\W_]+$/u, '')
  const unleet = (w: string): string => [...w].map((c) => LEET[c] ?? c).join('')
  return [lower, stem, unleet(lower), unleet(stem)].some((w) => w.length > 0 && COMMON.has(w))
}

/** Estimates the strength of a master password being chosen. Pure: runs on every key press. */
export function estimateStrength(password: string): Strength {
  const warnings: string[] = []
  const chars = [...password]
  if (chars.length === 0) return { score: 0, label: STRENGTH_LABELS[0]!, bits: 0, warnings: [] }

  const perChar = Math.log2(poolSize(password))
  let bits = 0
  let repeats = 0
  let sequences = 0
  let keyboard = 0
  // The patterns the previous pair formed, so only runs of three or more count ("as" in
  // "passphrase" is two neighbouring keys by chance; "asdf" is a keyboard walk). A pair may be
  // several at once ("op" is a sequence and neighbouring keys): a run continues through either.
  type Pattern = 'repeat' | 'sequence' | 'keyboard'
  let previous = new Set<Pattern>()
  const seen = new Map<string, number>()
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    const prev = i > 0 ? chars[i - 1]! : undefined
    const current = new Set<Pattern>()
    if (prev !== undefined) {
      const step = (c.codePointAt(0) ?? 0) - (prev.codePointAt(0) ?? 0)
      if (c === prev) current.add('repeat')
      if (Math.abs(step) === 1 && /[a-z0-9]/i.test(c) && /[a-z0-9]/i.test(prev)) current.add('sequence')
      if (keyboardNeighbours(prev, c)) current.add('keyboard')
    }
    const continued = [...current].filter((p) => previous.has(p))
    if (continued.length > 0) {
      const pattern = continued.includes('keyboard') && continued.length === 1 ? 'keyboard' : continued[0]!
      bits += pattern === 'keyboard' ? 1.5 : 1
      if (pattern === 'repeat') repeats++
      else if (pattern === 'sequence') sequences++
      else keyboard++
      // Keep following only what the run has been so far.
      previous = new Set(continued)
    } else {
      // A character used many times already carries less surprise each time.
      const count = seen.get(c.toLowerCase()) ?? 0
      bits += count >= 3 ? perChar / 2 : perChar
      previous = current
    }
    seen.set(c.toLowerCase(), (seen.get(c.toLowerCase()) ?? 0) + 1)
  }

  if (chars.length < MIN_PASSWORD_LENGTH) warnings.push(`Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  const common = isCommon(password)
  if (common) {
    warnings.push('This is one of the first passwords an attacker tries.')
    bits = Math.min(bits, 10)
  }
  if (repeats >= 1) warnings.push('Repeated characters (aaa) add almost nothing.')
  if (sequences >= 1) warnings.push('Sequences such as abc or 123 are easy to guess.')
  if (keyboard >= 1) warnings.push('Keyboard patterns such as qwerty are easy to guess.')
  if (/(19|20)\d\d/.test(password)) warnings.push('Years and dates are easy to guess.')
  if (/^\d+$/.test(password)) warnings.push('Digits alone are quick to try; use words.')

  let score: StrengthScore = 0
  for (const [s, needed] of THRESHOLDS) {
    if (bits >= needed) {
      score = s
      break
    }
  }
  if (chars.length < MIN_PASSWORD_LENGTH || common) score = 0
  if (score < 3 && warnings.length === 0) warnings.push('Add another word or two: a few unrelated words are strong and easy to remember.')
  return { score, label: STRENGTH_LABELS[score]!, bits: Math.round(bits), warnings }
}
