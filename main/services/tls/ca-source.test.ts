import { describe, expect, it } from 'vitest'
import { systemCaListFrom } from './ca-source'

describe('systemCaListFrom', () => {
  it("adds the OS store to Node's default list where the runtime offers it", () => {
    const asked: string[] = []
    const list = systemCaListFrom((type) => {
      asked.push(type)
      return type === 'default' ? ['A', 'B'] : ['B', 'C']
    })
    expect(list).toEqual(['A', 'B', 'C'])
    expect(asked).toEqual(['default', 'system'])
  })

  it("falls back to Node's default when the runtime has no such API or the OS store fails", () => {
    expect(systemCaListFrom(undefined)).toBeUndefined()
    expect(
      systemCaListFrom(() => {
        throw new Error('keychain unavailable')
      }),
    ).toBeUndefined()
  })
})
