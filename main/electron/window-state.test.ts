import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_SIZE, initialBounds, MIN_SIZE, trackWindowState, type Rect, type WindowState } from './window-state'

const laptop: Rect = { x: 0, y: 0, width: 1440, height: 870 }
const rightMonitor: Rect = { x: 1440, y: 0, width: 2560, height: 1400 }

describe('initialBounds', () => {
  it('uses the default size, centred, when nothing (or garbage) was saved', () => {
    const expected = { ...DEFAULT_SIZE, maximized: false }
    expect(initialBounds(undefined, [rightMonitor])).toEqual(expected)
    expect(initialBounds({ x: 'left', width: -3 }, [rightMonitor])).toEqual(expected)
  })

  it('restores a place that lies on a connected display', () => {
    const saved = { x: 1600, y: 100, width: 1400, height: 900, maximized: false }
    expect(initialBounds(saved, [laptop, rightMonitor])).toEqual(saved)
  })

  it('forgets the position when its monitor was unplugged, keeping a size that fits', () => {
    const saved = { x: 1600, y: 100, width: 2000, height: 1300, maximized: true }
    expect(initialBounds(saved, [laptop])).toEqual({ width: 1440, height: 870, maximized: true })
  })

  it('treats a window hanging off the edge by all but a sliver as not visible', () => {
    // Only 40 px of it are on the laptop's screen: too little to grab.
    const saved = { x: 1400, y: 100, width: 1000, height: 700, maximized: false }
    expect(initialBounds(saved, [laptop])).toEqual({ width: 1000, height: 700, maximized: false })
    // With 200 px on screen it stays where it was.
    expect(initialBounds({ ...saved, x: 1240 }, [laptop])).toMatchObject({ x: 1240, y: 100 })
  })

  it('never makes a window smaller than the minimum', () => {
    const saved = { x: 10, y: 10, width: 50, height: 20, maximized: false }
    expect(initialBounds(saved, [laptop])).toMatchObject(MIN_SIZE)
  })
})

describe('trackWindowState', () => {
  afterEach(() => void vi.useRealTimers())

  function fakeWindow() {
    const listeners = new Map<string, () => void>()
    const win = {
      bounds: { x: 1, y: 2, width: 1000, height: 700 },
      maximized: false,
      destroyed: false,
      getNormalBounds: () => win.bounds,
      isMaximized: () => win.maximized,
      isDestroyed: () => win.destroyed,
      on: (event: string, listener: () => void) => void listeners.set(event, listener),
      fire: (event: string) => listeners.get(event)?.(),
    }
    return win
  }

  it('saves once after a burst of moves, not once per pixel', () => {
    vi.useFakeTimers()
    const win = fakeWindow()
    const writes: WindowState[] = []
    trackWindowState(win, { read: () => undefined, write: (s) => void writes.push(s) }, 400)
    for (let i = 0; i < 50; i++) {
      win.bounds = { ...win.bounds, x: i }
      win.fire('move')
    }
    expect(writes).toEqual([])
    vi.advanceTimersByTime(400)
    expect(writes).toEqual([{ x: 49, y: 2, width: 1000, height: 700, maximized: false }])
  })

  it('saves the normal bounds and the maximized flag at once on maximize and close', () => {
    const win = fakeWindow()
    const writes: WindowState[] = []
    trackWindowState(win, { read: () => undefined, write: (s) => void writes.push(s) })
    win.maximized = true
    win.fire('maximize')
    win.fire('close')
    expect(writes).toEqual([
      { x: 1, y: 2, width: 1000, height: 700, maximized: true },
      { x: 1, y: 2, width: 1000, height: 700, maximized: true },
    ])
  })
})
