import { describe, expect, it } from 'vitest'
import { layoutFromKeyMap, layoutFromLanguage } from './local-layout'

describe('the local keyboard layout', () => {
  it('tells layouts apart by what their keys type', () => {
    expect(layoutFromKeyMap(new Map([['KeyZ', 'y'], ['KeyY', 'z'], ['Semicolon', 'ö']]))).toBe('de')
    expect(layoutFromKeyMap(new Map([['KeyQ', 'a'], ['KeyA', 'q']]))).toBe('fr')
    expect(layoutFromKeyMap(new Map([['Semicolon', 'ñ']]))).toBe('es')
    expect(layoutFromKeyMap(new Map([['Semicolon', 'ö'], ['Quote', 'ä'], ['KeyZ', 'z']]))).toBe('sv')
    expect(layoutFromKeyMap(new Map([['KeyQ', 'q'], ['Semicolon', ';'], ['Quote', "'"]]))).toBe('en-US')
    expect(layoutFromKeyMap(new Map([['KeyQ', 'q']]))).toBeUndefined()
  })

  it('falls back to the language, then en-US', () => {
    expect(layoutFromLanguage('de-AT')).toBe('de')
    expect(layoutFromLanguage('en-GB')).toBe('en-GB')
    expect(layoutFromLanguage('en')).toBe('en-US')
    expect(layoutFromLanguage('pt-PT')).toBe('pt-BR')
    expect(layoutFromLanguage('ja')).toBe('ja')
    expect(layoutFromLanguage('zz')).toBe('en-US')
    expect(layoutFromLanguage(undefined)).toBe('en-US')
  })
})
