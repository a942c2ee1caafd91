// Full screen for a console, with the keyboard lock that lets Alt+Tab, the Windows key and Esc reach
// the guest instead of the local OS. The web APIs do it in both Electron and the browser harness:
// Element.requestFullscreen, then navigator.keyboard.lock() (Chromium only; Firefox and Safari have
// no navigator.keyboard, and full screen still works there without it). Chromium lets a long press
// of Esc leave a locked full screen; the app's own chord (Ctrl+Alt+Enter, as in virt-viewer) leaves
// it too, and is never sent to the guest.
import type { Chord } from '../../app/chord'

/** The app's full-screen chord: enters and leaves; the guest never sees the Enter. */
export const FULLSCREEN_CHORD: Chord = { key: 'Enter', ctrl: true, alt: true }

/** How long the "press and hold Esc" hint stays on entering before it fades (ms). */
export const HINT_MS = 4000

/**
 * Where the keyboard lock stands while full screen: asked and not yet answered, granted, not
 * offered by this browser, or refused (a permission handler said no, or the page is not focused).
 */
export type KeyboardLock = 'pending' | 'locked' | 'unsupported' | 'refused'

/** The lock half of navigator.keyboard (Keyboard Lock API; not in TypeScript's DOM types). */
export interface KeyboardLockApi {
  lock(keyCodes?: string[]): Promise<void>
  unlock(): void
}

/** navigator.keyboard when it can lock, else undefined (feature detection; `nav` is `navigator`). */
export function keyboardLockApi(nav: unknown): KeyboardLockApi | undefined {
  const keyboard: unknown = typeof nav === 'object' && nav !== null ? (nav as { keyboard?: unknown }).keyboard : undefined
  if (typeof keyboard !== 'object' || keyboard === null) return undefined
  const { lock, unlock } = keyboard as { lock?: unknown; unlock?: unknown }
  if (typeof lock !== 'function' || typeof unlock !== 'function') return undefined
  return {
    lock: (keyCodes) => (lock as (k?: string[]) => Promise<void>).call(keyboard, keyCodes),
    unlock: () => (unlock as () => void).call(keyboard),
  }
}

/** What the full-screen bar and hint say for a lock state. */
export function fullscreenText(lock: KeyboardLock): { hint: string; status: string } {
  switch (lock) {
    case 'locked':
      return { hint: 'Press and hold Esc to exit full screen', status: 'Keyboard locked: Alt+Tab, the Windows key and Esc go to the VM' }
    case 'pending':
      return { hint: 'Press Ctrl+Alt+Enter to exit full screen', status: 'Locking the keyboard…' }
    case 'unsupported':
      return { hint: 'Press Esc or Ctrl+Alt+Enter to exit full screen', status: 'This browser cannot lock the keyboard: keys like Alt+Tab and the Windows key stay with your computer' }
    case 'refused':
      return { hint: 'Press Esc or Ctrl+Alt+Enter to exit full screen', status: 'Keyboard lock refused: keys like Alt+Tab and the Windows key stay with your computer' }
  }
}

/** The part of `document` full screen uses. */
export interface FullscreenDocument {
  readonly fullscreenElement: object | null
  exitFullscreen(): Promise<void>
  addEventListener(type: 'fullscreenchange', listener: () => void): void
  removeEventListener(type: 'fullscreenchange', listener: () => void): void
}

/** The part of an Element full screen uses. */
export interface FullscreenTarget {
  requestFullscreen(options?: FullscreenOptions): Promise<void>
}

export interface FullscreenState {
  on: boolean
  lock: KeyboardLock
}

export interface ConsoleFullscreenOptions {
  /** The console region that goes full screen. */
  target: FullscreenTarget
  doc: FullscreenDocument
  keyboard: KeyboardLockApi | undefined
  /** Full screen began: the guest should take the keyboard. */
  onEnter(): void
  /** Full screen ended, for any reason (our chord, Esc held, F11, the OS): release held keys, give focus back. */
  onExit(): void
  onChange(state: FullscreenState): void
}

/**
 * One console's full screen. It follows `fullscreenchange` rather than its own calls, so leaving
 * by any route (Chromium's long Esc, F11, the window manager) unlocks the keyboard and releases
 * the guest's held keys the same way.
 */
export class ConsoleFullscreen {
  private on = false
  private lock: KeyboardLock = 'pending'
  private disposed = false

  constructor(private readonly o: ConsoleFullscreenOptions) {
    o.doc.addEventListener('fullscreenchange', this.changed)
  }

  state(): FullscreenState {
    return { on: this.on, lock: this.lock }
  }

  /** Requests full screen on the console, then the keyboard lock (all keys); false when the page may not go full screen. */
  async enter(): Promise<boolean> {
    if (this.on) return true
    try {
      await this.o.target.requestFullscreen({ navigationUI: 'hide' })
    } catch {
      return false
    }
    // fullscreenchange may fire before or after the promise settles: take the state from the document.
    this.changed()
    if (!this.on) return false
    const keyboard = this.o.keyboard
    if (!keyboard) {
      this.setLock('unsupported')
      return true
    }
    try {
      // No key list: every key, Esc included (Chromium then exits on a long Esc press).
      await keyboard.lock()
      // Left again while the lock was being granted: give it back at once.
      if (!this.on || this.disposed) keyboard.unlock()
      else this.setLock('locked')
    } catch {
      if (this.on) this.setLock('refused')
    }
    return true
  }

  /** Leaves full screen if this console holds it; the rest happens on `fullscreenchange`. */
  async exit(): Promise<void> {
    if (this.o.doc.fullscreenElement !== this.o.target) return
    await this.o.doc.exitFullscreen().catch(() => undefined)
  }

  /** Stops following the document; leaves full screen if this console holds it. */
  dispose(): void {
    this.disposed = true
    this.o.doc.removeEventListener('fullscreenchange', this.changed)
    if (this.on) {
      this.on = false
      this.o.keyboard?.unlock()
      this.o.onExit()
    }
    if (this.o.doc.fullscreenElement === this.o.target) void this.o.doc.exitFullscreen().catch(() => undefined)
  }

  private readonly changed = (): void => {
    const now = this.o.doc.fullscreenElement === this.o.target
    if (now === this.on || this.disposed) return
    this.on = now
    this.lock = 'pending'
    if (now) {
      this.o.onEnter()
    } else {
      this.o.keyboard?.unlock()
      this.o.onExit()
    }
    this.o.onChange(this.state())
  }

  private setLock(lock: KeyboardLock): void {
    this.lock = lock
    this.o.onChange(this.state())
  }
}
