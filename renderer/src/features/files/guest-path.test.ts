import { describe, expect, it } from 'vitest'
import { guestCrumbs, joinGuestPath, parentGuestPath } from './guest-path'

describe('guest paths', () => {
  it('join names in the guest\'s syntax', () => {
    expect(joinGuestPath('/', 'etc', '/')).toBe('/etc')
    expect(joinGuestPath('/var', 'log', '/')).toBe('/var/log')
    expect(joinGuestPath('C:\\', 'Temp', '\\')).toBe('C:\\Temp')
    expect(joinGuestPath('/home/demo/odd names', 'back\\slash.txt', '/')).toBe('/home/demo/odd names/back\\slash.txt')
  })
  it('go up to the root and stop there', () => {
    expect(parentGuestPath('/var/log', '/')).toBe('/var')
    expect(parentGuestPath('/var', '/')).toBe('/')
    expect(parentGuestPath('/', '/')).toBeUndefined()
    expect(parentGuestPath('C:\\Users\\Administrator', '\\')).toBe('C:\\Users')
    expect(parentGuestPath('C:\\Users', '\\')).toBe('C:\\')
    expect(parentGuestPath('C:\\', '\\')).toBeUndefined()
  })
  it('break a path into crumbs', () => {
    expect(guestCrumbs('/var/log', '/')).toEqual([
      { label: '/', path: '/' },
      { label: 'var', path: '/var' },
      { label: 'log', path: '/var/log' },
    ])
    expect(guestCrumbs('C:\\Temp', '\\')).toEqual([
      { label: 'C:', path: 'C:\\' },
      { label: 'Temp', path: 'C:\\Temp' },
    ])
  })
})
