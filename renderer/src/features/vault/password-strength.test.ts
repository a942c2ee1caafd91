import { describe, expect, it } from 'vitest'
import { estimateStrength } from './password-strength'

describe('estimateStrength', () => {
  it('calls common passwords very weak, even with l33t and a suffix', () => {
    for (const pw of ['password', 'Password1!', 'P@ssw0rd2024', 'letmein123', 'VMware1!', 'porthole']) {
      const s = estimateStrength(pw)
      expect(s.score, pw).toBe(0)
      expect(s.warnings.join(' '), pw).toMatch(/first passwords an attacker tries/)
    }
  })

  it('calls anything under the minimum length very weak', () => {
    const s = estimateStrength('x7#Qz!')
    expect(s.score).toBe(0)
    expect(s.warnings[0]).toMatch(/at least 8/)
  })

  it('counts repeats, sequences and keyboard rows as nearly free', () => {
    expect(estimateStrength('aaaaaaaaaaaaaaaa').score).toBe(0)
    expect(estimateStrength('abcdefghijklmnop').score).toBeLessThanOrEqual(1)
    expect(estimateStrength('1234567890123456').score).toBeLessThanOrEqual(1)
    expect(estimateStrength('qwertyuiopasdfgh').score).toBeLessThanOrEqual(1)
    expect(estimateStrength('abcdefghijklmnop').warnings.join(' ')).toMatch(/Sequences/)
    expect(estimateStrength('aaaaaaaaaaaaaaaa').warnings.join(' ')).toMatch(/Repeated/)
  })

  it('does not call two neighbouring keys a keyboard walk', () => {
    expect(estimateStrength('a brand new passphrase 42').warnings).toEqual([])
    expect(estimateStrength('zxcvbnm,./ and more').warnings.join(' ')).toMatch(/Keyboard patterns/)
  })

  it('rates a few random words or a long random string strong', () => {
    expect(estimateStrength('correct horse battery staple').score).toBe(4)
    expect(estimateStrength('t7#Vq!9mZ@w2Lp$x').score).toBe(4)
  })

  it('grows with length and variety', () => {
    const scores = ['kitten12', 'kitten12 river', 'kitten12 river Lamp 9'].map((p) => estimateStrength(p).bits)
    expect(scores[0]!).toBeLessThan(scores[1]!)
    expect(scores[1]!).toBeLessThan(scores[2]!)
  })

  it('warns about years and digits-only passwords', () => {
    expect(estimateStrength('mydog1987rover').warnings.join(' ')).toMatch(/Years/)
    expect(estimateStrength('8302917465').warnings.join(' ')).toMatch(/Digits alone/)
  })

  it('gives an empty password score 0 and no warnings', () => {
    expect(estimateStrength('')).toEqual({ score: 0, label: 'Very weak', bits: 0, warnings: [] })
  })
})
