import { describe, expect, it } from 'vitest'
import { matchChord } from '../../app/chord'
import { ConsoleFullscreen, FULLSCREEN_CHORD, fullscreenText, keyboardLockApi, type FullscreenDocument, type FullscreenState, type KeyboardLockApi } from './fullscreen'

/** A document whose full screen behaves like Chromium's: the change event fires before the request's promise settles. */
class FakeDocument extends EventTarget implements FullscreenDocument {
  fullscreenElement: object | null = null
  exits = 0
  async exitFullscreen(): Promise<void> {
    this.exits++
    this.set(null)
  }
  /** What the browser does when full screen ends by its own route (long Esc, F11, the OS). */
  set(element: object | null): void {
    this.fullscreenElement = element
    this.dispatchEvent(new Event('fullscreenchange'))
  }
  override addEventListener(type: 'fullscreenchange', listener: () => void): void {
    super.addEventListener(type, listener)
  }
  override removeEventListener(type: 'fullscreenchange', listener: () => void): void {
    super.removeEventListener(type, listener)
  }
}

function fakeKeyboard(answer: 'resolve' | 'reject' | Promise<void>): KeyboardLockApi & { calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    lock: (keys) => {
      calls.push(keys === undefined ? 'lock(all)' : `lock(${keys.join(',')})`)
      if (answer === 'resolve') return Promise.resolve()
      if (answer === 'reject') return Promise.reject(new DOMException('refused', 'NotAllowedError'))
      return answer
    },
    unlock: () => void calls.push('unlock'),
  }
}

function setup(keyboard: KeyboardLockApi | undefined, request: 'grant' | 'deny' = 'grant') {
  const doc = new FakeDocument()
  const log: string[] = []
  const states: FullscreenState[] = []
  const target = {
    requestFullscreen: async (): Promise<void> => {
      if (request === 'deny') throw new TypeError('Permissions check failed')
      doc.set(target)
    },
  }
  const fs = new ConsoleFullscreen({
    target,
    doc,
    keyboard,
    onEnter: () => log.push('enter'),
    onExit: () => log.push('exit'),
    onChange: (s) => states.push(s),
  })
  return { doc, target, fs, log, states }
}

describe('console full screen', () => {
  it('enters, then locks every key (no key list); the state says locked', async () => {
    const keyboard = fakeKeyboard('resolve')
    const { fs, log, states } = setup(keyboard)
    expect(await fs.enter()).toBe(true)
    expect(keyboard.calls).toEqual(['lock(all)'])
    expect(log).toEqual(['enter'])
    expect(states).toEqual([
      { on: true, lock: 'pending' },
      { on: true, lock: 'locked' },
    ])
  })

  it('leaving by any route unlocks and calls onExit once: its own exit, or the browser ending it', async () => {
    const keyboard = fakeKeyboard('resolve')
    const { fs, doc, log } = setup(keyboard)
    await fs.enter()
    await fs.exit()
    expect(doc.exits).toBe(1)
    expect(keyboard.calls).toEqual(['lock(all)', 'unlock'])
    expect(log).toEqual(['enter', 'exit'])
    expect(fs.state()).toEqual({ on: false, lock: 'pending' })

    await fs.enter()
    doc.set(null) // Chromium's long Esc press, F11, the window manager
    expect(keyboard.calls).toEqual(['lock(all)', 'unlock', 'lock(all)', 'unlock'])
    expect(log).toEqual(['enter', 'exit', 'enter', 'exit'])
  })

  it('another element going full screen is not this console: no enter, and it leaves if it was on', async () => {
    const keyboard = fakeKeyboard('resolve')
    const { fs, doc, log } = setup(keyboard)
    doc.set({})
    expect(log).toEqual([])
    await fs.enter()
    doc.set({})
    expect(log).toEqual(['enter', 'exit'])
    await fs.exit()
    expect(doc.exits).toBe(0)
  })

  it('without navigator.keyboard: full screen still works, the lock is "unsupported"', async () => {
    const { fs, states } = setup(undefined)
    expect(await fs.enter()).toBe(true)
    expect(states.at(-1)).toEqual({ on: true, lock: 'unsupported' })
  })

  it('a refused lock leaves full screen on and says "refused"', async () => {
    const keyboard = fakeKeyboard('reject')
    const { fs, states } = setup(keyboard)
    expect(await fs.enter()).toBe(true)
    expect(states.at(-1)).toEqual({ on: true, lock: 'refused' })
  })

  it('a page that may not go full screen gets false and no lock request (the tab fills the window instead)', async () => {
    const keyboard = fakeKeyboard('resolve')
    const { fs, log, states } = setup(keyboard, 'deny')
    expect(await fs.enter()).toBe(false)
    expect(keyboard.calls).toEqual([])
    expect(log).toEqual([])
    expect(states).toEqual([])
  })

  it('full screen left while the lock is being granted: the lock is given back', async () => {
    let grant: () => void = () => undefined
    const keyboard = fakeKeyboard(new Promise<void>((resolve) => (grant = resolve)))
    const { fs, doc, states } = setup(keyboard)
    const entering = fs.enter()
    await Promise.resolve()
    await Promise.resolve()
    doc.set(null)
    grant()
    await entering
    expect(keyboard.calls).toEqual(['lock(all)', 'unlock', 'unlock'])
    expect(states.at(-1)).toEqual({ on: false, lock: 'pending' })
  })

  it('dispose leaves full screen, unlocks and releases, and stops following the document', async () => {
    const keyboard = fakeKeyboard('resolve')
    const { fs, doc, log, target } = setup(keyboard)
    await fs.enter()
    fs.dispose()
    expect(log).toEqual(['enter', 'exit'])
    expect(doc.fullscreenElement).toBe(null)
    expect(keyboard.calls).toEqual(['lock(all)', 'unlock'])
    doc.set(target)
    expect(log).toEqual(['enter', 'exit'])
  })
})

describe('keyboard lock feature detection', () => {
  it('finds lock and unlock on navigator.keyboard and calls them on it', async () => {
    const seen: unknown[] = []
    const keyboard = {
      lock(this: unknown, keys?: string[]) {
        seen.push(this, keys)
        return Promise.resolve()
      },
      unlock(this: unknown) {
        seen.push(this)
      },
    }
    const api = keyboardLockApi({ keyboard })!
    await api.lock()
    api.unlock()
    expect(seen).toEqual([keyboard, undefined, keyboard])
  })

  it.each([
    ['no navigator', undefined],
    ['no keyboard (Firefox, Safari)', {}],
    ['a keyboard without lock', { keyboard: { getLayoutMap: () => undefined } }],
    ['a keyboard of the wrong type', { keyboard: 'yes' }],
  ])('is undefined with %s', (_name, nav) => {
    expect(keyboardLockApi(nav)).toBeUndefined()
  })
})

describe('full-screen words and keys', () => {
  it('locked: hold Esc; not locked: keys like Alt+Tab stay with the computer', () => {
    expect(fullscreenText('locked').hint).toBe('Press and hold Esc to exit full screen')
    expect(fullscreenText('locked').status).toMatch(/Alt\+Tab, the Windows key and Esc go to the VM/)
    for (const lock of ['unsupported', 'refused'] as const) {
      expect(fullscreenText(lock).status).toMatch(/Alt\+Tab and the Windows key stay with your computer/)
      expect(fullscreenText(lock).hint).toMatch(/Ctrl\+Alt\+Enter/)
    }
  })

  it('the chord is exactly Ctrl+Alt+Enter: with Shift or Meta added, or without Alt, it is not', () => {
    const e = { key: 'Enter', ctrlKey: true, altKey: true, shiftKey: false, metaKey: false }
    expect(matchChord(FULLSCREEN_CHORD, e)).toBe(true)
    expect(matchChord(FULLSCREEN_CHORD, { ...e, shiftKey: true })).toBe(false)
    expect(matchChord(FULLSCREEN_CHORD, { ...e, metaKey: true })).toBe(false)
    expect(matchChord(FULLSCREEN_CHORD, { ...e, altKey: false })).toBe(false)
  })
})
