import { describe, expect, it } from 'vitest'
import { UsKeysymKeyboard } from './physical-keys'

describe('UsKeysymKeyboard', () => {
  it('sends the US keysym of the pressed position, whatever the local layout said', () => {
    const kb = new UsKeysymKeyboard()
    // A German local keyboard: its Y key (code KeyY) gives 'z'; the US table must press KeyY.
    expect(kb.translate(0x7a, 'KeyY', true)).toBe(0x79)
    expect(kb.translate(0x7a, 'KeyY', false)).toBe(0x79)
    // Shift held: the shifted US keysym of the position ('Semicolon' is ö locally, ':' on US).
    expect(kb.translate(0xffe1, 'ShiftLeft', true)).toBe(0xffe1)
    expect(kb.translate(0xd6, 'Semicolon', true)).toBe(0x3a)
    expect(kb.translate(0xffe1, 'ShiftLeft', false)).toBe(0xffe1)
    // Released after Shift: the same keysym as it went down with.
    expect(kb.translate(0xf6, 'Semicolon', false)).toBe(0x3a)
  })

  it('turns AltGr into Alt_R and keeps keys every layout shares', () => {
    const kb = new UsKeysymKeyboard()
    expect(kb.translate(0xfe03, 'AltRight', true)).toBe(0xffea)
    expect(kb.translate(0x40, 'KeyQ', true)).toBe(0x71) // AltGr+Q is '@' locally; the US table needs 'q'
    expect(kb.held()).toEqual([{ code: 'AltRight', keysym: 0xffea }, { code: 'KeyQ', keysym: 0x71 }])
    expect(kb.translate(0x40, 'KeyQ', false)).toBe(0x71)
    expect(kb.translate(0xfe03, 'AltRight', false)).toBe(0xffea)
    expect(kb.translate(0xffc2, 'F5', true)).toBe(0xffc2)
    expect(kb.translate(0xff0d, 'Enter', true)).toBe(0xff0d)
    expect(kb.held().map((k) => k.code)).toEqual(['F5', 'Enter'])
  })
})
