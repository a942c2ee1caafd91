import { z } from 'zod'

/** Where the main window was: its normal (unmaximized) bounds and whether it was maximized. */
export const WindowState = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean(),
})
export type WindowState = z.infer<typeof WindowState>

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

/** Keeps the window state between runs (electron-store in the app). */
export interface WindowStateStore {
  read(): unknown
  write(state: WindowState): void
}

export const DEFAULT_SIZE = { width: 1280, height: 800 }
export const MIN_SIZE = { width: 800, height: 500 }

/** How much of the window must lie on one display for its saved position to count as visible: enough to grab the title bar. */
const VISIBLE_MIN = { width: 120, height: 60 }

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  }
}

export interface InitialBounds {
  /** Position only when it is on a display the user can see; otherwise the OS centres the window. */
  x?: number
  y?: number
  width: number
  height: number
  maximized: boolean
}

/**
 * The bounds to open the window with. A saved position is used only if enough of the
 * window lands on a connected display's work area (a monitor may have been unplugged since);
 * the size is clamped to the largest work area so the window is never bigger than a screen.
 */
export function initialBounds(saved: unknown, workAreas: readonly Rect[]): InitialBounds {
  const parsed = WindowState.safeParse(saved)
  const maxWidth = Math.max(MIN_SIZE.width, ...workAreas.map((a) => a.width))
  const maxHeight = Math.max(MIN_SIZE.height, ...workAreas.map((a) => a.height))
  const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi)
  if (!parsed.success) {
    return {
      width: clamp(DEFAULT_SIZE.width, MIN_SIZE.width, maxWidth),
      height: clamp(DEFAULT_SIZE.height, MIN_SIZE.height, maxHeight),
      maximized: false,
    }
  }
  const s = parsed.data
  const size = { width: clamp(s.width, MIN_SIZE.width, maxWidth), height: clamp(s.height, MIN_SIZE.height, maxHeight) }
  const rect = { x: s.x, y: s.y, ...size }
  const visible = workAreas.some((area) => {
    const o = overlap(rect, area)
    return o.width >= Math.min(VISIBLE_MIN.width, rect.width) && o.height >= Math.min(VISIBLE_MIN.height, rect.height)
  })
  return visible ? { x: s.x, y: s.y, ...size, maximized: s.maximized } : { ...size, maximized: s.maximized }
}

/** What of a BrowserWindow the tracker uses. */
export interface TrackedWindow {
  getNormalBounds(): Rect
  isMaximized(): boolean
  isDestroyed(): boolean
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown
}

/**
 * Saves the window's state when it changes (debounced, moves fire per pixel) and once more
 * when it closes. Returns a function that flushes and stops tracking.
 */
export function trackWindowState(win: TrackedWindow, store: WindowStateStore, debounceMs = 400): () => void {
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  const save = (): void => {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (stopped || win.isDestroyed()) return
    const b = win.getNormalBounds()
    store.write({
      x: Math.round(b.x),
      y: Math.round(b.y),
      width: Math.round(b.width),
      height: Math.round(b.height),
      maximized: win.isMaximized(),
    })
  }
  const later = (): void => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(save, debounceMs)
  }
  win.on('resize', later)
  win.on('move', later)
  win.on('maximize', save)
  win.on('unmaximize', save)
  win.on('close', save)
  return () => {
    save()
    stopped = true
  }
}
