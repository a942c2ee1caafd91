import { describe, expect, it } from 'vitest'
import { parseEnvironment } from './environment'

describe('parseEnvironment', () => {
  it('reads NAME=value lines, keeps "=" in values, ignores blank lines', () => {
    expect(parseEnvironment('LANG=C\n\nOPTS=a=b \n')).toEqual({ environment: { LANG: 'C', OPTS: 'a=b' } })
    expect(parseEnvironment('  \n')).toEqual({ environment: undefined })
  })
  it('says which line is wrong', () => {
    expect(parseEnvironment('LANG=C\n=x')).toEqual({ error: 'Line 2 of the environment is not NAME=value.' })
    expect(parseEnvironment('MY VAR=1')).toEqual({ error: 'Line 1: a variable name has no spaces.' })
  })
})
