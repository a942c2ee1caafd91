/** Uppercase hex bytes from any of the ways a SHA-256 fingerprint is written (colons, spaces, lower case). */
export function fingerprintBytes(fingerprint: string): string[] {
  const hex = fingerprint.replace(/[^0-9a-fA-F]/g, '').toUpperCase()
  const bytes: string[] = []
  for (let i = 0; i + 1 < hex.length; i += 2) bytes.push(hex.slice(i, i + 2))
  return bytes
}

/**
 * A fingerprint as groups of `perGroup` bytes, the way people compare them with what an
 * administrator reads out: 32 bytes → 8 groups of 4 ("AB:CD:EF:01").
 */
export function fingerprintGroups(fingerprint: string, perGroup = 4): string[] {
  const bytes = fingerprintBytes(fingerprint)
  const groups: string[] = []
  for (let i = 0; i < bytes.length; i += perGroup) groups.push(bytes.slice(i, i + perGroup).join(':'))
  return groups
}

/**
 * Indexes of the groups that differ between two fingerprints, to mark them side by side. Empty
 * when every group differs (an unrelated certificate): marking everything would say nothing.
 * A near-match is what deserves the marks: it is what a forged look-alike would be.
 */
export function differingGroups(a: string, b: string, perGroup = 4): Set<number> {
  const ga = fingerprintGroups(a, perGroup)
  const gb = fingerprintGroups(b, perGroup)
  const differ = new Set<number>()
  const total = Math.max(ga.length, gb.length)
  for (let i = 0; i < total; i++) if (ga[i] !== gb[i]) differ.add(i)
  return differ.size === total ? new Set() : differ
}

/** The last `n` hex digits (no colons): what the user types to confirm replacing a pinned certificate. */
export function fingerprintTail(fingerprint: string, n = 4): string {
  return fingerprintBytes(fingerprint).join('').slice(-n)
}

/** "CN=vc.example.com, O=Example" → [["CN","vc.example.com"],["O","Example"]] for a definition list. */
export function distinguishedNameParts(dn: string): [string, string][] {
  const parts: [string, string][] = []
  // Split on commas (or newlines) that start a new KEY=, not on commas inside a value.
  for (const piece of dn.split(/[,\n](?=\s*[A-Za-z][A-Za-z0-9.]*=)/)) {
    const text = piece.trim()
    if (!text) continue
    const eq = text.indexOf('=')
    parts.push(eq > 0 ? [text.slice(0, eq).trim(), text.slice(eq + 1).trim()] : ['', text])
  }
  return parts
}

/** Whether `now` falls outside a certificate's validity (both ISO strings; unparseable counts as outside). */
export function validityProblem(validFrom: string, validTo: string, now: Date): 'not-yet-valid' | 'expired' | undefined {
  const from = Date.parse(validFrom)
  const to = Date.parse(validTo)
  if (Number.isNaN(from) || Number.isNaN(to)) return 'expired'
  if (now.getTime() < from) return 'not-yet-valid'
  if (now.getTime() > to) return 'expired'
  return undefined
}
