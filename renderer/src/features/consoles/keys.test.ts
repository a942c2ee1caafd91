import { describe, expect, it } from 'vitest'
import { comboEvents, KEY_COMBOS, MAX_PASTE_CHARS, parseSequence } from './keys'

describe('console keys', () => {
  it('Ctrl+Alt+Del presses in order and releases in reverse', () => {
    const cad = KEY_COMBOS.find((c) => c.id === 'ctrl-alt-del')!
    expect(comboEvents(cad).map((e) => `${e.code}${e.down ? '↓' : '↑'}`)).toEqual(['ControlLeft↓', 'AltLeft↓', 'Delete↓', 'Delete↑', 'AltLeft↑', 'ControlLeft↑'])
  })

  it('offers Ctrl+Alt+F1…F12 with the F keysyms', () => {
    const f = KEY_COMBOS.filter((c) => /^ctrl-alt-f\d+$/.test(c.id))
    expect(f).toHaveLength(12)
    expect(f[0]!.keys[2]).toEqual({ keysym: 0xffbe, code: 'F1' })
    expect(f[11]!.keys[2]).toEqual({ keysym: 0xffc9, code: 'F12' })
  })

  it('parses key sequences: text, chords in braces, literal braces', () => {
    const steps = parseSequence('linux single{Enter}{Ctrl+Alt+F2}{{x')
    expect(steps.map((s) => (s.kind === 'text' ? s.text : s.keys.map((k) => k.code).join('+')))).toEqual(['linux single', 'Enter', 'ControlLeft+AltLeft+F2', '{x'])
    expect(parseSequence('{ctrl+c}')[0]).toEqual({ kind: 'chord', label: 'ctrl+c', keys: [{ keysym: 0xffe3, code: 'ControlLeft' }, { keysym: 0x63, code: 'KeyC' }] })
  })

  it('refuses unknown keys and unclosed braces', () => {
    expect(() => parseSequence('{Ctrl+Hyper}')).toThrow(/Unknown key "Hyper"/)
    expect(() => parseSequence('abc{Enter')).toThrow(/no closing/)
    expect(() => parseSequence('{F13}')).toThrow(/Unknown key "F13"/)
  })

  it('the paste cap is 4,096 characters', () => {
    expect(MAX_PASTE_CHARS).toBe(4096)
  })
})
