import { describe, expect, it } from 'vitest'
import { chordLabel, matchChord, type KeyLike } from './chord'

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, ...mods })

describe('chords', () => {
  it('matches exactly, ignoring the case of letters', () => {
    expect(matchChord({ key: 'w', ctrl: true }, key('w', { ctrlKey: true }))).toBe(true)
    expect(matchChord({ key: 'w', ctrl: true }, key('W', { ctrlKey: true }))).toBe(true)
    expect(matchChord({ key: 'w', ctrl: true }, key('w'))).toBe(false)
    expect(matchChord({ key: 'w', ctrl: true }, key('w', { ctrlKey: true, shiftKey: true }))).toBe(false)
    expect(matchChord({ key: 'w', ctrl: true }, key('w', { ctrlKey: true, metaKey: true }))).toBe(false)
    expect(matchChord({ key: 'Tab', ctrl: true, shift: true }, key('Tab', { ctrlKey: true, shiftKey: true }))).toBe(true)
    expect(matchChord({ key: 'Tab', ctrl: true }, key('Tab', { ctrlKey: true, shiftKey: true }))).toBe(false)
  })

  it('writes chords the way menus do', () => {
    expect(chordLabel({ key: 'Tab', ctrl: true, shift: true })).toBe('Ctrl+Shift+Tab')
    expect(chordLabel({ key: 'w', ctrl: true })).toBe('Ctrl+W')
    expect(chordLabel({ key: 'ArrowLeft' })).toBe('←')
    expect(chordLabel({ key: 'PageDown', ctrl: true })).toBe('Ctrl+Page Down')
  })
})
