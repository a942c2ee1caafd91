// A serial console on screen: one xterm.js terminal for the life of the tab (its scrollback
// survives reconnects) and a WebSocket to the relay per connection. Bytes both ways, in binary
// frames: what the user types is UTF-8 encoded and sent as bytes, never as text frames.
import { FitAddon } from '@xterm/addon-fit'
import { Terminal } from '@xterm/xterm'
import '@xterm/xterm/css/xterm.css'
import { installConstructedStyles } from './constructed-styles'
import type { SurfaceEvents } from './rfb-surface'

export class SerialSurface {
  private readonly term: Terminal
  private readonly fit = new FitAddon()
  private socket: WebSocket | undefined
  private viewOnly = false
  private readonly encoder = new TextEncoder()
  private readonly resize: ResizeObserver

  constructor(
    private readonly container: HTMLElement,
    private readonly events: SurfaceEvents,
  ) {
    installConstructedStyles()
    this.term = new Terminal({
      convertEol: false,
      cursorBlink: true,
      scrollback: 5000,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: 14,
      theme: { background: '#0b0d10', foreground: '#d7dde5' },
    })
    this.term.loadAddon(this.fit)
    this.term.open(container)
    this.term.onData((data) => this.send(this.encoder.encode(data)))
    this.term.onBinary((data) => this.send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)))
    this.resize = new ResizeObserver(() => {
      if (container.clientWidth > 0) this.fit.fit()
    })
    this.resize.observe(container)
  }

  connect(url: string): void {
    this.disconnect()
    const socket = new WebSocket(url)
    socket.binaryType = 'arraybuffer'
    this.socket = socket
    socket.onopen = () => {
      if (this.socket === socket) this.events.onConnect()
    }
    socket.onmessage = (e: MessageEvent<ArrayBuffer | string>) => {
      this.term.write(typeof e.data === 'string' ? e.data : new Uint8Array(e.data))
    }
    socket.onclose = (e) => {
      if (this.socket !== socket) return
      this.socket = undefined
      this.events.onDisconnect(e.wasClean)
    }
  }

  disconnect(): void {
    const socket = this.socket
    this.socket = undefined
    socket?.close()
  }

  private send(bytes: Uint8Array<ArrayBuffer>): void {
    if (this.viewOnly || this.socket?.readyState !== WebSocket.OPEN) return
    this.socket.send(bytes)
  }

  /** Sends text as the bytes a keyboard would have produced (newlines as CR). */
  sendText(text: string): number {
    const chars = [...text]
    this.send(this.encoder.encode(text.replace(/\r?\n/g, '\r')))
    return chars.length
  }

  setViewOnly(viewOnly: boolean): void {
    this.viewOnly = viewOnly
  }

  focus(): void {
    this.term.focus()
  }

  blur(): void {
    this.term.blur()
  }

  resolution(): string {
    return `${this.term.cols}×${this.term.rows}`
  }

  /** The last lines on screen, for the console wall. */
  lines(count = 12): string[] {
    const buffer = this.term.buffer.active
    const out: string[] = []
    const end = buffer.baseY + buffer.cursorY
    for (let y = Math.max(0, end - count + 1); y <= end; y++) out.push(buffer.getLine(y)?.translateToString(true) ?? '')
    return out
  }

  /** Everything in the terminal's buffer, as text (tests read what the guest wrote). */
  text(): string {
    const buffer = this.term.buffer.active
    const out: string[] = []
    for (let y = 0; y < buffer.length; y++) out.push(buffer.getLine(y)?.translateToString(true) ?? '')
    return out.join('\n')
  }

  dispose(): void {
    this.disconnect()
    this.resize.disconnect()
    this.term.dispose()
  }
}
