/**
 * The forms a secret could leak in: as is, hex (both cases), and base64 / base64url at each
 * of the three byte alignments it could sit at inside a longer encoded buffer. For tests that
 * prove a canary secret never appears in a file, a log or a message.
 */
export function canaryForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  if (bytes.length < 12) throw new Error('use a canary of at least 12 bytes: shorter base64 needles match by chance')
  const forms = [secret, bytes.toString('hex'), bytes.toString('hex').toUpperCase()]
  for (let offset = 0; offset < 3; offset++) {
    for (const encoding of ['base64', 'base64url'] as const) {
      const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString(encoding)
      // Drop the 4-character groups that also hold the prefix or whatever follows the secret.
      forms.push(encoded.slice(offset === 0 ? 0 : 4, encoded.length - 4))
    }
  }
  return forms
}

/** The forms of `secret` found in `haystack` (empty when there is none). */
export function canaryLeaks(haystack: string | Buffer, secret: string): string[] {
  return canaryForms(secret).filter((form) =>
    typeof haystack === 'string' ? haystack.includes(form) : haystack.includes(Buffer.from(form, 'utf8')),
  )
}
