import { describe, expect, it } from 'vitest'
import { systemCaList } from './ca-source'

describe('systemCaList', () => {
  it("adds the OS store to Node's default list where the runtime offers it", () => {
    const asked: string[] = []
    const list = systemCaList((type) => {
      asked.push(type)
      return type === 'default' ? ['A', 'B'] : ['B', 'C']
    })
    expect(list).toEqual(['A', 'B', 'C'])
    expect(asked).toEqual(['default', 'system'])
  })

  it("falls back to Node's default when the runtime has no such API or the OS store fails", () => {
    expect(systemCaList(undefined)).toBeUndefined()
    expect(
      systemCaList(() => {
        throw new Error('keychain unavailable')
      }),
    ).toBeUndefined()
  })
})
