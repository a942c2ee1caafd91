import { describe, expect, it } from 'vitest'
import { websocketUrl } from './openstack-provider'

describe('console URL → websocket', () => {
  it('noVNC: the path parameter becomes the websocket path, same scheme family, host and port', () => {
    expect(websocketUrl('http://ctl:6080/vnc_auto.html?path=%3Ftoken%3Dabc', 'novnc')).toBe('ws://ctl:6080/?token=abc')
    expect(websocketUrl('https://ctl:6080/vnc_lite.html?path=websockify%3Ftoken%3Dabc', 'novnc')).toBe('wss://ctl:6080/websockify?token=abc')
    // Old Nova (before noVNC 1.1): a top-level token.
    expect(websocketUrl('https://ctl/vnc_auto.html?token=abc', 'novnc')).toBe('wss://ctl/?token=abc')
  })
  it('serial URLs are websockets already', () => {
    expect(websocketUrl('ws://ctl:6083/?token=abc', 'serial')).toBe('ws://ctl:6083/?token=abc')
    expect(websocketUrl('wss://ctl:6083/?token=abc', 'serial')).toBe('wss://ctl:6083/?token=abc')
  })
  it('refuses what is not a console URL', () => {
    expect(() => websocketUrl('javascript:alert(1)', 'serial')).toThrow(/scheme/)
    expect(() => websocketUrl('not a url', 'novnc')).toThrow(/not a URL/)
    expect(() => websocketUrl('https://ctl/vnc_auto.html', 'novnc')).toThrow(/no token/)
  })
})
