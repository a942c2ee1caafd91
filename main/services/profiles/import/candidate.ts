import type { ProfileFields } from '../../../../contract/profiles'

/** One profile found by an import source, secret included; it stays in main. */
export interface ImportCandidate {
  fields: ProfileFields
  secret?: string
  /** What the import changed or could not carry over, in the user's words. */
  notes: string[]
}

/** Everything one import source found. */
export interface CandidateSet {
  candidates: ImportCandidate[]
  /** Entries found but not importable. */
  skipped: { name: string; reason: string }[]
  /** Files and variables read, for display. */
  sources: string[]
}

export function emptySet(): CandidateSet {
  return { candidates: [], skipped: [], sources: [] }
}

/** Appends `more` to `into`. */
export function mergeSets(into: CandidateSet, more: CandidateSet): CandidateSet {
  into.candidates.push(...more.candidates)
  into.skipped.push(...more.skipped)
  into.sources.push(...more.sources)
  return into
}

export type Env = Readonly<Record<string, string | undefined>>

/** A non-empty trimmed string from a YAML scalar (numbers too: `project_id: 1234` parses as a number). */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  return trimmed === '' ? undefined : trimmed
}

/** A secret as written: only emptiness is refused, spaces are part of it. */
export function secretOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return typeof value === 'string' && value !== '' ? value : undefined
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Why an "insecure" setting became a pinned profile: nothing in Porthole ever ignores certificate errors (DESIGN.md, "TLS trust"). */
export function insecureNote(setting: string): string {
  return (
    `${setting} asks to skip certificate checks. Porthole never ignores certificate errors: this profile ` +
    "pins the server's certificate instead. On the first connection you see its fingerprint and decide whether to trust it."
  )
}
