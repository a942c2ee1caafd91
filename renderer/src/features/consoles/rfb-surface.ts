// A graphical console on screen: noVNC's RFB object in a container, replaced on every (re)connect
// (a relay URL works once). Scaling, view-only, keyboard mapping and key sending live here so the
// tab stays plain React.
import RFB from '@novnc/novnc'
import { planKeystrokes, sendPlan, UsKeysymKeyboard, type KeyboardLayoutId, type KeystrokePath } from '../../../../contract/keyboard'
import { comboEvents, type KeyCombo } from './keys'
import { mapCmdToCtrl } from './cmd-as-ctrl'

export type Scaling = 'fit' | 'actual' | 'sharp' | 'remote'

export interface SurfaceEvents {
  onConnect(): void
  /** `clean` false: it failed or dropped (noVNC's words); the tab asks main why. */
  onDisconnect(clean: boolean): void
  /** noVNC's own RFB handshake failed in a way worth naming (a password asked for, a security failure). */
  onHandshakeProblem?(message: string): void
  /** The guest copied text (only when guest → local clipboard is on). */
  onClipboard?(text: string): void
}

export interface TypeResult {
  sent: number
  total: number
  /** Characters the guest layout (or, on a keysym-only server, the US table) cannot type; left out. */
  untypable: string[]
}

export class RfbSurface {
  private rfb: RFB | undefined
  private scaling: Scaling = 'fit'
  private viewOnly = false
  private cmdAsCtrl = false
  private visible = true
  private clipboardFromGuest = false
  private usKeyboard = new UsKeysymKeyboard()
  /** Keys down in the guest (code → the keysym they went down with), so they can be released. */
  private readonly held = new Map<string, number>()

  constructor(
    private readonly container: HTMLElement,
    private readonly events: SurfaceEvents,
  ) {}

  connect(url: string): void {
    this.disconnect()
    const rfb = new RFB(this.container, url, { shared: true })
    this.rfb = rfb
    this.held.clear()
    this.usKeyboard = new UsKeysymKeyboard()
    rfb.background = 'transparent'
    rfb.focusOnClick = true
    this.apply()
    this.hookKeyboard(rfb)
    rfb.addEventListener('connect', () => {
      if (this.rfb !== rfb) return
      if (!this.visible) this.pauseUpdates(rfb)
      this.events.onConnect()
    })
    rfb.addEventListener('disconnect', (e) => {
      if (this.rfb !== rfb) return
      this.rfb = undefined
      this.held.clear()
      this.events.onDisconnect(e.detail.clean)
    })
    rfb.addEventListener('clipboard', (e) => {
      if (this.rfb === rfb && this.clipboardFromGuest) this.events.onClipboard?.(e.detail.text)
    })
    // The relay answers any VNC password itself; a prompt here means the server asked for more.
    rfb.addEventListener('credentialsrequired', (e) => {
      this.events.onHandshakeProblem?.(
        e.detail.types.includes('password') && !e.detail.types.includes('username')
          ? 'the console refused the password: the VNC server asks for a password and this connection has none'
          : `the console asks for security type ${e.detail.types.join('+')}, which Porthole does not speak`,
      )
      rfb.disconnect()
    })
    // noVNC tells why it gave up on a handshake (a banner that is not RFB, only security types
    // it does not speak) only to its log: pass the words on, so the doctor can name the step when
    // the tab spoke RFB itself (no password held in main). A closed socket the relay explains.
    const fail = rfb._fail.bind(rfb)
    rfb._fail = (details) => {
      if (this.rfb === rfb && rfb._rfbConnectionState === 'connecting' && !/^(Connection closed|Unexpected server disconnect)/.test(details)) {
        this.events.onHandshakeProblem?.(details)
      }
      fail(details)
    }
    rfb.addEventListener('securityfailure', (e) => {
      this.events.onHandshakeProblem?.(`the console refused the password: ${e.detail.reason ?? `security failure ${e.detail.status}`}`)
    })
  }

  /**
   * Every physical key passes through noVNC's keyboard handler (`_keyboard.onkeyevent`, what
   * noVNC's own RFB installs): Cmd becomes Ctrl when asked; on a keysym-only server the keysym
   * becomes the US keysym of the pressed position (the guest sees the key pressed, whatever the
   * local layout); and every key down is remembered so blur, hide and detach can release it.
   */
  private hookKeyboard(rfb: RFB): void {
    const original = rfb._keyboard.onkeyevent
    rfb._keyboard.onkeyevent = (keysym, code, down, numlock, capslock) => {
      let k = keysym
      let c = code
      if (this.cmdAsCtrl) ({ keysym: k, code: c } = mapCmdToCtrl(k, c))
      if (this.path() === 'us-keysym') k = this.usKeyboard.translate(k, c, down)
      if (down) this.held.set(c, k)
      else this.held.delete(c)
      original(k, c, down, numlock, capslock)
    }
  }

  /** 'scancode' once the server took QEMU's extended key event, else 'us-keysym' (ESXi, TigerVNC, the lab's built-in server). */
  path(): KeystrokePath {
    return this.rfb?._qemuExtKeyEventSupported ? 'scancode' : 'us-keysym'
  }

  /** Releases in the guest every key still down (blur, tab switch, detach, full-screen exit). */
  releaseKeys(): void {
    const rfb = this.rfb
    const held = [...this.held]
    this.held.clear()
    this.usKeyboard = new UsKeysymKeyboard()
    if (!rfb) return
    for (const [code, keysym] of held.reverse()) rfb.sendKey(keysym, code, false)
    // The keys are up in the guest now: when they come up on the keyboard too, noVNC must not send a second release.
    rfb._keyboard._keyDownList = {}
  }

  /** Codes of keys down in the guest (for tests and the status line). */
  heldKeys(): string[] {
    return [...this.held.keys()]
  }

  /** Ends the current connection without reporting it (the tab asked for it). */
  disconnect(): void {
    this.releaseKeys()
    const rfb = this.rfb
    this.rfb = undefined
    rfb?.disconnect()
  }

  setScaling(scaling: Scaling): void {
    this.scaling = scaling
    this.apply()
  }

  /** Whether the server accepts remote resize (ExtendedDesktopSize); false until connected. */
  canResize(): boolean {
    return this.rfb?._supportsSetDesktopSize ?? false
  }

  setViewOnly(viewOnly: boolean): void {
    if (viewOnly) this.releaseKeys()
    this.viewOnly = viewOnly
    this.apply()
  }

  setCmdAsCtrl(on: boolean): void {
    this.cmdAsCtrl = on
  }

  setClipboardFromGuest(on: boolean): void {
    this.clipboardFromGuest = on
  }

  /**
   * Whether the server has a clipboard worth sharing. RFB cannot tell for sure: a server that
   * announced the extended clipboard (TigerVNC) has one; QEMU (it offered the extended key event)
   * has none without a guest agent, and neither has ESXi; other keysym servers are given the benefit.
   */
  hasClipboard(provider: string): boolean {
    const rfb = this.rfb
    if (!rfb) return false
    if (Object.keys(rfb._clipboardServerCapabilitiesFormats).length > 0) return true
    return !rfb._qemuExtKeyEventSupported && provider !== 'vsphere'
  }

  /** Sends local text to the guest's clipboard (RFB ClientCutText). */
  pasteToGuestClipboard(text: string): void {
    this.rfb?.clipboardPasteFrom(text)
  }

  /**
   * A console nobody sees asks for no frames: noVNC requests the next update after each one
   * unless continuous updates are on, so claiming they are on stops the requests (and, with a
   * server that has continuous updates, they are switched off). Shown again, it asks for one
   * full update and resumes.
   */
  setVisible(visible: boolean): void {
    if (this.visible === visible) return
    this.visible = visible
    const rfb = this.rfb
    if (!rfb || rfb._rfbConnectionState !== 'connected') return
    if (visible) this.resumeUpdates(rfb)
    else {
      this.releaseKeys()
      this.pauseUpdates(rfb)
    }
  }

  /** A hidden console's one frame for a thumbnail (the console wall): one incremental update, not a stream. */
  requestFrame(): void {
    const rfb = this.rfb
    if (!rfb || this.visible || rfb._rfbConnectionState !== 'connected') return
    RFB.messages.fbUpdateRequest(rfb._sock, true, 0, 0, rfb._fbWidth, rfb._fbHeight)
  }

  private pauseUpdates(rfb: RFB): void {
    if (rfb._supportsContinuousUpdates) RFB.messages.enableContinuousUpdates(rfb._sock, false, 0, 0, rfb._fbWidth, rfb._fbHeight)
    rfb._enabledContinuousUpdates = true
  }

  private resumeUpdates(rfb: RFB): void {
    if (rfb._supportsContinuousUpdates) {
      RFB.messages.enableContinuousUpdates(rfb._sock, true, 0, 0, rfb._fbWidth, rfb._fbHeight)
    } else {
      rfb._enabledContinuousUpdates = false
    }
    RFB.messages.fbUpdateRequest(rfb._sock, false, 0, 0, rfb._fbWidth, rfb._fbHeight)
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
    this.applySharp()
  }

  /** "1:1 sharp": one remote pixel per device pixel, by shrinking the canvas by devicePixelRatio in CSS. */
  applySharp(): void {
    const c = this.canvas()
    if (!c) return
    const ratio = window.devicePixelRatio || 1
    if (this.scaling === 'sharp' && c.width > 0) {
      c.style.width = `${c.width / ratio}px`
      c.style.height = `${c.height / ratio}px`
      c.style.imageRendering = 'pixelated'
    } else if (this.scaling === 'actual') {
      c.style.imageRendering = ''
      c.style.width = `${c.width}px`
      c.style.height = `${c.height}px`
    } else {
      c.style.imageRendering = ''
    }
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
    this.releaseKeys()
    this.rfb?.blur()
  }

  sendCombo(combo: KeyCombo): void {
    const rfb = this.rfb
    if (!rfb || this.viewOnly) return
    if (combo.id === 'ctrl-alt-del') return rfb.sendCtrlAltDel()
    for (const e of comboEvents(combo)) rfb.sendKey(e.keysym, e.code, e.down)
  }

  /** Presses keys in order and releases them in reverse (a key sequence's chord), paced like typing. */
  async sendChord(keys: ReadonlyArray<{ keysym: number; code: string }>): Promise<void> {
    const rfb = this.rfb
    if (!rfb || this.viewOnly) return
    const events = comboEvents({ id: 'chord', label: '', keys }).map((e) => ({ ...e, scancode: 0 }))
    await sendPlan({ chars: [{ char: '', events }], untypable: [] }, (e) => this.rfb === rfb && rfb.sendKey(e.keysym, e.code, e.down))
  }

  /**
   * Types text as keystrokes through the guest layout, paced for the server (QEMU drops key events
   * closer than ~10 ms: sendPlan's default). Characters it cannot type are left out and reported.
   */
  async type(text: string, layout: KeyboardLayoutId, progress: (done: number, total: number) => void, signal: AbortSignal): Promise<TypeResult> {
    const plan = planKeystrokes(text, layout, this.path())
    const rfb = this.rfb
    if (!rfb || this.viewOnly) return { sent: 0, total: plan.chars.length, untypable: plan.untypable }
    progress(0, plan.chars.length)
    const sent = await sendPlan(plan, (e) => this.rfb === rfb && !this.viewOnly && rfb.sendKey(e.keysym, e.code, e.down), { signal, onProgress: progress })
    return { sent, total: plan.chars.length, untypable: plan.untypable }
  }

  screenshot(): Promise<Blob> {
    return new Promise((resolve, reject) => {
      if (!this.rfb) return reject(new Error('The console is not connected.'))
      this.rfb.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The screen could not be captured.'))), 'image/png')
    })
  }
}
