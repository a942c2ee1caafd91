import { describe, expect, it } from 'vitest'
import { comboEvents, KEY_COMBOS, MAX_PASTE_CHARS, typingEvents } from './keys'

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

  it('types with Shift held for capitals and shifted symbols, Enter for newlines', () => {
    const { events, chars, unmapped } = typingEvents('Hi!\n')
    expect(chars).toBe(4)
    expect(unmapped).toBe(0)
    expect(events.map((e) => `${e.code}${e.down ? '↓' : '↑'}`)).toEqual([
      'ShiftLeft↓', 'KeyH↓', 'KeyH↑', 'ShiftLeft↑',
      'KeyI↓', 'KeyI↑',
      'ShiftLeft↓', 'Digit1↓', 'Digit1↑', 'ShiftLeft↑',
      'Enter↓', 'Enter↑',
    ])
    expect(events[1]!.keysym).toBe('H'.charCodeAt(0))
  })

  it('sends characters without a US key as Unicode keysyms and counts them', () => {
    const { events, unmapped } = typingEvents('é€')
    expect(unmapped).toBe(2)
    expect(events.map((e) => e.keysym)).toEqual([0xe9, 0xe9, 0x010020ac, 0x010020ac])
  })

  it('the paste cap is 4,096 characters', () => {
    expect(MAX_PASTE_CHARS).toBe(4096)
  })
})
