import { describe, expect, it } from 'vitest'
import { atLeast, negotiate, parseVersion } from './microversion'

describe('microversions', () => {
  it('compares the minor part as an integer (2.10 > 2.9)', () => {
    expect(atLeast('2.10', '2.9')).toBe(true)
    expect(atLeast('2.9', '2.10')).toBe(false)
    expect(atLeast('2.6', '2.6')).toBe(true)
    expect(atLeast(undefined, '2.6')).toBe(false)
    expect(atLeast('', '2.6')).toBe(false)
  })

  it('negotiates the highest both sides support', () => {
    expect(negotiate('2.1', '2.104')).toBe('2.100')
    expect(negotiate('2.1', '2.93')).toBe('2.93')
    expect(negotiate('2.1', '2.5')).toBe('2.5')
    expect(negotiate('2.1', '2.93', '2.60')).toBe('2.60')
    expect(negotiate('', '')).toBeUndefined()
    expect(negotiate('2.101', '2.104')).toBeUndefined()
    expect(negotiate(undefined, '2.12')).toBe('2.12')
  })

  it('parses only MajorNum.MinorNum', () => {
    expect(parseVersion('2.60')).toEqual({ major: 2, minor: 60 })
    expect(parseVersion('latest')).toBeUndefined()
    expect(parseVersion('2')).toBeUndefined()
  })
})
