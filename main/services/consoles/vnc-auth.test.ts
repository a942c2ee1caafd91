import crypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
// noVNC's DES is an independent implementation to compare with; the package exports only
// core/rfb.js and ships no types, hence the path into node_modules.
// @ts-expect-error no declaration file
import { DESECBCipher } from '../../../node_modules/@novnc/novnc/core/crypto/des.js'
import { vncAuthCheck, vncAuthResponse } from './vnc-auth'

/** noVNC's own answer to a VNC challenge (RFB.genDES): DES-ECB keyed with the password's bytes. */
function noVncResponse(password: string, challenge: Buffer): Buffer {
  const chars = [...password.slice(0, 8)].map((c) => c.charCodeAt(0))
  const cipher = (DESECBCipher as { importKey(k: number[]): { encrypt(a: unknown, d: Uint8Array): Uint8Array } }).importKey(chars)
  return Buffer.from(cipher.encrypt({ name: 'DES-ECB' }, new Uint8Array(challenge)))
}

describe('VNC Authentication', () => {
  it('matches the classic DES test vector through triple DES with one key', () => {
    const k = Buffer.from('0123456789abcdef', 'hex')
    const c = crypto.createCipheriv('des-ede3', Buffer.concat([k, k, k]), null)
    c.setAutoPadding(false)
    expect(c.update(Buffer.from('4e6f772069732074', 'hex')).toString('hex')).toBe('3fa40e8a984d4815')
  })

  it('answers challenges exactly as noVNC does', () => {
    for (const password of ['a', 'secret', 'exactly8', 'longer than eight', 'Pa55!~']) {
      for (let i = 0; i < 5; i++) {
        const challenge = crypto.randomBytes(16)
        expect(vncAuthResponse(password, challenge).toString('hex')).toBe(noVncResponse(password, challenge).toString('hex'))
      }
    }
  })

  it('accepts the right answer and refuses others', () => {
    const challenge = crypto.randomBytes(16)
    const answer = vncAuthResponse('hunter2', challenge)
    expect(vncAuthCheck('hunter2', challenge, answer)).toBe(true)
    expect(vncAuthCheck('hunter3', challenge, answer)).toBe(false)
    expect(vncAuthCheck('hunter2', challenge, answer.subarray(0, 15))).toBe(false)
    // Only the first 8 characters count, as in every VNC server.
    expect(vncAuthCheck('12345678', challenge, vncAuthResponse('123456789', challenge))).toBe(true)
  })
})
