import { describe, expect, it } from 'vitest'
import { memoryLog } from '../services/log/log'
import { APP_ORIGIN } from './app-origin'
import { requestAllowed, restrictRequests } from './request-guard'

describe('request guard', () => {
  it.each([
    'app://porthole/index.html',
    'app://porthole/assets/index-abc.js',
    'ws://127.0.0.1:41234/relay/3f2a',
    'data:image/png;base64,iVBORw0KGgo=',
    'blob:app://porthole/6c1f-4e2a',
    'devtools://devtools/bundled/inspector.html',
  ])('lets the app load %s', (url) => {
    expect(requestAllowed(url, APP_ORIGIN)).toBe(true)
  })

  it.each([
    'https://evil.example/collect?vm=web-01',
    'http://127.0.0.1:8080/',
    'wss://127.0.0.1:443/',
    'ws://localhost:41234/relay/3f2a',
    'ws://10.0.0.5:5900/',
    'file:///etc/passwd',
    'app://porthole.evil/index.html',
    'app://elsewhere/',
    'not a url',
  ])('cancels %s', (url) => {
    expect(requestAllowed(url, APP_ORIGIN)).toBe(false)
  })

  it('in development allows the dev server and its HMR socket, not other local ports', () => {
    const dev = 'http://localhost:5173'
    expect(requestAllowed('http://localhost:5173/src/main.tsx', dev)).toBe(true)
    expect(requestAllowed('ws://localhost:5173/?token=x', dev)).toBe(true)
    expect(requestAllowed('ws://localhost:5174/', dev)).toBe(false)
    expect(requestAllowed('http://localhost:3000/', dev)).toBe(false)
    expect(requestAllowed('app://porthole/index.html', dev)).toBe(false)
  })

  it('answers the session with cancel, and logs only the origin', () => {
    let listener: ((details: { url: string; resourceType: string }, cb: (r: { cancel: boolean }) => void) => void) | undefined
    const log = memoryLog()
    restrictRequests({ onBeforeRequest: ((l: typeof listener) => void (listener = l)) as never }, APP_ORIGIN, log)
    const answers: boolean[] = []
    listener?.({ url: 'https://evil.example/x?secret=hunter2', resourceType: 'xhr' }, (r) => answers.push(r.cancel))
    listener?.({ url: 'app://porthole/index.html', resourceType: 'mainFrame' }, (r) => answers.push(r.cancel))
    expect(answers).toEqual([true, false])
    expect(log.lines.join('\n')).toContain('https://evil.example')
    expect(log.lines.join('\n')).not.toContain('hunter2')
  })
})
