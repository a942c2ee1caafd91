// A graphical console on screen: noVNC's RFB object in a container, replaced on every (re)connect
// (a relay URL works once). Scaling, view-only and key sending live here so the tab stays plain React.
import RFB from '@novnc/novnc'
import { comboEvents, typingEvents, type KeyCombo } from './keys'

export type Scaling = 'fit' | 'actual' | 'remote'

export interface SurfaceEvents {
  onConnect(): void
  /** `clean` false: it failed or dropped (noVNC's words); the tab asks main why. */
  onDisconnect(clean: boolean): void
}

export class RfbSurface {
  private rfb: RFB | undefined
  private scaling: Scaling = 'fit'
  private viewOnly = false

  constructor(
    private readonly container: HTMLElement,
    private readonly events: SurfaceEvents,
  ) {}

  connect(url: string): void {
    this.disconnect()
    const rfb = new RFB(this.container, url, { shared: true })
    this.rfb = rfb
    rfb.background = 'transparent'
    rfb.focusOnClick = true
    this.apply()
    rfb.addEventListener('connect', () => {
      if (this.rfb === rfb) this.events.onConnect()
    })
    rfb.addEventListener('disconnect', (e) => {
      if (this.rfb !== rfb) return
      this.rfb = undefined
      this.events.onDisconnect(e.detail.clean)
    })
    // The relay answers any VNC password itself; a prompt here means the server asked for more.
    rfb.addEventListener('credentialsrequired', () => rfb.disconnect())
  }

  /** Ends the current connection without reporting it (the tab asked for it). */
  disconnect(): void {
    const rfb = this.rfb
    this.rfb = undefined
    rfb?.disconnect()
  }

  setScaling(scaling: Scaling): void {
    this.scaling = scaling
    this.apply()
  }

  setViewOnly(viewOnly: boolean): void {
    this.viewOnly = viewOnly
    this.apply()
  }

  private apply(): void {
    const rfb = this.rfb
    if (!rfb) return
    rfb.viewOnly = this.viewOnly
    rfb.scaleViewport = this.scaling === 'fit'
    rfb.resizeSession = this.scaling === 'remote'
    // 1:1 scrolls (the screen's container has overflow: auto) rather than clipping and dragging.
    rfb.clipViewport = false
    rfb.dragViewport = false
  }

  canvas(): HTMLCanvasElement | null {
    return this.container.querySelector('canvas')
  }

  /** The remote screen's size, e.g. "720×400". */
  resolution(): string | undefined {
    const c = this.canvas()
    return c && c.width > 0 ? `${c.width}×${c.height}` : undefined
  }

  focus(): void {
    this.rfb?.focus({ preventScroll: true })
  }

  blur(): void {
    this.rfb?.blur()
  }

  sendCombo(combo: KeyCombo): void {
    const rfb = this.rfb
    if (!rfb || this.viewOnly) return
    if (combo.id === 'ctrl-alt-del') return rfb.sendCtrlAltDel()
    for (const e of comboEvents(combo)) rfb.sendKey(e.keysym, e.code, e.down)
  }

  /**
   * Types text as keystrokes, a character at a time with a pause between (a guest's keyboard
   * buffer is small: QEMU's PS/2 queue holds 16 bytes). Resolves with the characters sent.
   */
  async type(text: string, progress: (done: number, total: number) => void, signal: AbortSignal, perCharMs = 8): Promise<number> {
    const { perChar } = typingEvents(text)
    let done = 0
    for (const group of perChar) {
      if (signal.aborted || !this.rfb || this.viewOnly) break
      for (const e of group) this.rfb.sendKey(e.keysym, e.code || null, e.down)
      done++
      progress(done, perChar.length)
      await new Promise((r) => setTimeout(r, perCharMs))
    }
    return done
  }

  screenshot(): Promise<Blob> {
    return new Promise((resolve, reject) => {
      if (!this.rfb) return reject(new Error('The console is not connected.'))
      this.rfb.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The screen could not be captured.'))), 'image/png')
    })
  }
}
