import crypto from 'node:crypto'

/** RFB security type numbers (RFC 6143 §7.1.2). */
export const SecurityType = { none: 1, vncAuth: 2 } as const

/** VNC passwords are DES keys: only the first 8 characters count (RFC 6143 §7.2.2). */
export const VNC_PASSWORD_MAX = 8

/** The 8-byte DES key VNC derives from a password: first 8 bytes, zero padded, each byte's bits reversed. */
function vncKey(password: string): Buffer {
  const key = Buffer.alloc(8)
  Buffer.from(password, 'latin1').copy(key, 0, 0, VNC_PASSWORD_MAX)
  for (let i = 0; i < 8; i++) {
    let b = key[i]!
    let r = 0
    for (let bit = 0; bit < 8; bit++) {
      r = (r << 1) | (b & 1)
      b >>= 1
    }
    key[i] = r
  }
  return key
}

/**
 * The 16-byte answer to a VNC Authentication challenge: the challenge encrypted with
 * DES-ECB under the password's key. OpenSSL 3 moved single DES to its legacy provider,
 * which Node does not load; triple DES with the same key three times (EDE: E(k) D(k) E(k))
 * is exactly single DES and stays in the default provider.
 */
export function vncAuthResponse(password: string, challenge: Buffer): Buffer {
  if (challenge.length !== 16) throw new Error('VNC challenge must be 16 bytes')
  const key = vncKey(password)
  const cipher = crypto.createCipheriv('des-ede3', Buffer.concat([key, key, key]), null)
  cipher.setAutoPadding(false)
  return Buffer.concat([cipher.update(challenge), cipher.final()])
}

/** Checks a client's answer in constant time. */
export function vncAuthCheck(password: string, challenge: Buffer, response: Buffer): boolean {
  const expected = vncAuthResponse(password, challenge)
  return response.length === expected.length && crypto.timingSafeEqual(expected, response)
}
