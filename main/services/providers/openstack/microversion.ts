// Nova microversions (reference openstack.md §5): `2.N` compared as integers (2.10 > 2.9), the
// highest version both sides support, and what each console needs.

/** The highest microversion this code knows how to read (2.100: scheduler_hints; nothing it reads changes above). */
export const CODE_MAX = '2.100'
/** Remote consoles (vnc, spice-html5, serial) need 2.6; webmks 2.8; spice-direct 2.99. */
export const REMOTE_CONSOLES = '2.6'
export const WEBMKS = '2.8'
export const SPICE_DIRECT = '2.99'

export interface Version {
  major: number
  minor: number
}

/** Parses `2.N`; undefined for '' (no microversions) or anything malformed. */
export function parseVersion(text: string | undefined | null): Version | undefined {
  const m = /^\s*(\d+)\.(\d+)\s*$/.exec(text ?? '')
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined
}

export function compare(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor
}

export function format(v: Version): string {
  return `${v.major}.${v.minor}`
}

/** Whether `have` is at least `need` (both `2.N`). */
export function atLeast(have: string | undefined, need: string): boolean {
  const h = parseVersion(have)
  const n = parseVersion(need)
  return h !== undefined && n !== undefined && compare(h, n) >= 0
}

/**
 * The microversion to use: the highest the server offers up to what this code knows, or
 * undefined when the server has no microversions (an empty `version`) or no overlap.
 */
export function negotiate(serverMin: string | undefined, serverMax: string | undefined, codeMax = CODE_MAX): string | undefined {
  const max = parseVersion(serverMax)
  if (!max) return undefined
  const min = parseVersion(serverMin) ?? { major: 2, minor: 1 }
  const mine = parseVersion(codeMax) as Version
  const chosen = compare(max, mine) < 0 ? max : mine
  return compare(chosen, min) >= 0 ? format(chosen) : undefined
}
