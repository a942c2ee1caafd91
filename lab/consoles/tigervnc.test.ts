import { describe, expect, it } from 'vitest'
import { vncPasswordFile, xauthorityFile } from './tigervnc'

describe('TigerVNC lab files', () => {
  it('writes the password file Xvnc reads (bytes Xtigervnc 1.12 accepted for "s3cret!")', () => {
    expect(vncPasswordFile('s3cret!').toString('hex')).toBe('ff99c2cc4f80abab')
  })

  it('keeps only the first 8 characters of a password, as VNC Authentication does', () => {
    expect(vncPasswordFile('abcdefghXYZ')).toEqual(vncPasswordFile('abcdefgh'))
    expect(vncPasswordFile('abcdefgh')).not.toEqual(vncPasswordFile('abcdefgi'))
    expect(vncPasswordFile('a')).toHaveLength(8)
  })

  it('writes one wild MIT-MAGIC-COOKIE-1 Xauthority entry', () => {
    const cookie = Buffer.from('00112233445566778899aabbccddeeff', 'hex')
    const file = xauthorityFile(cookie)
    let at = 0
    const u16 = (): number => {
      const n = file.readUInt16BE(at)
      at += 2
      return n
    }
    const field = (): Buffer => {
      const n = u16()
      at += n
      return file.subarray(at - n, at)
    }
    expect(u16()).toBe(0xffff) // FamilyWild: any address
    expect(field()).toHaveLength(0)
    expect(field()).toHaveLength(0) // no display number: any display
    expect(field().toString()).toBe('MIT-MAGIC-COOKIE-1')
    expect(field()).toEqual(cookie)
    expect(at).toBe(file.length)
  })
})
