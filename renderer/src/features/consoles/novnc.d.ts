// noVNC 1.7 ships no types: the part of its RFB class Porthole uses (core/rfb.js, docs/API.md).
declare module '@novnc/novnc' {
  export interface RfbOptions {
    shared?: boolean
    credentials?: { username?: string; password?: string; target?: string }
    repeaterID?: string
    wsProtocols?: string[]
  }

  export interface RfbEventMap {
    connect: CustomEvent<Record<string, never>>
    disconnect: CustomEvent<{ clean: boolean }>
    credentialsrequired: CustomEvent<{ types: string[] }>
    securityfailure: CustomEvent<{ status: number; reason?: string }>
    clipboard: CustomEvent<{ text: string }>
    bell: CustomEvent<Record<string, never>>
    desktopname: CustomEvent<{ name: string }>
    capabilities: CustomEvent<{ capabilities: { power: boolean } }>
  }

  export default class RFB {
    constructor(target: HTMLElement, urlOrChannel: string | WebSocket, options?: RfbOptions)
    viewOnly: boolean
    focusOnClick: boolean
    clipViewport: boolean
    dragViewport: boolean
    scaleViewport: boolean
    resizeSession: boolean
    showDotCursor: boolean
    background: string
    qualityLevel: number
    compressionLevel: number
    readonly capabilities: { power: boolean }
    // Internals Porthole reads or hooks (noVNC 1.7, core/rfb.js); see rfb-surface.ts for why.
    /** Whether the server offered QEMU's extended key event (raw scancodes); known after the first update. */
    _qemuExtKeyEventSupported: boolean
    /** noVNC's keyboard: every physical key event passes through `onkeyevent`. */
    _keyboard: {
      onkeyevent: (keysym: number, code: string, down: boolean, numlock?: boolean | null, capslock?: boolean | null) => void
      /** Keys noVNC believes are down (code → keysym); it sends a key's release only while listed. */
      _keyDownList: Record<string, number>
    }
    /** When true, noVNC sends no new update request after a framebuffer update. */
    _enabledContinuousUpdates: boolean
    _supportsContinuousUpdates: boolean
    _rfbConnectionState: string
    /** Logs why the connection failed and disconnects; Porthole hooks it for the connection doctor. */
    _fail(details: string): void
    /** Whether the server takes SetDesktopSize (remote resize). */
    _supportsSetDesktopSize: boolean
    /** Formats the server announced in the extended clipboard pseudo-encoding (TigerVNC); empty without it. */
    _clipboardServerCapabilitiesFormats: Record<number, unknown>
    _fbWidth: number
    _fbHeight: number
    _sock: unknown
    static messages: {
      fbUpdateRequest(sock: unknown, incremental: boolean, x: number, y: number, w: number, h: number): void
      enableContinuousUpdates(sock: unknown, enable: boolean, x: number, y: number, width: number, height: number): void
    }
    disconnect(): void
    sendCredentials(credentials: { username?: string; password?: string; target?: string }): void
    sendKey(keysym: number, code: string | null, down?: boolean): void
    sendCtrlAltDel(): void
    focus(options?: FocusOptions): void
    blur(): void
    clipboardPasteFrom(text: string): void
    toBlob(callback: (blob: Blob | null) => void, type?: string, quality?: number): void
    toDataURL(type?: string, quality?: number): string
    addEventListener<K extends keyof RfbEventMap>(type: K, listener: (event: RfbEventMap[K]) => void): void
    removeEventListener<K extends keyof RfbEventMap>(type: K, listener: (event: RfbEventMap[K]) => void): void
  }
}
