import type { CallResult } from '../../contract/result'
import type { CallContext, Dispatch } from '../../contract/serve'
import { IPC_CALL, IPC_EVENT } from '../../contract/ipc-channels'
import type { EventBus } from '../event-bus'
import type { Log } from '../services/log/log'
import { originOf } from './app-origin'

// The parts of Electron's objects the transport uses, so tests can hand it fakes; the real
// ipcMain, IpcMainInvokeEvent and WebContents satisfy them as they are.

export interface IpcFrame {
  readonly url: string
  /** null for a top-level frame. */
  readonly parent: unknown
}

export interface IpcContents {
  isDestroyed(): boolean
  once(event: 'destroyed', listener: () => void): unknown
  send(channel: string, ...args: unknown[]): void
  readonly mainFrame: IpcFrame
  /** Electron's `webContents.startDrag` (drag-out of a downloaded file). */
  startDrag?(item: { file: string; icon: unknown }): void
}

export interface IpcInvokeEvent {
  readonly sender: IpcContents
  /** null when the frame navigated away or was destroyed before main looked at it. */
  readonly senderFrame: IpcFrame | null
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

export interface IpcTransportOptions {
  ipcMain: IpcMainLike
  dispatch: Dispatch
  events: EventBus
  /** The web contents of the app's own windows, at the moment of asking. */
  appContents: () => readonly IpcContents[]
  /** The renderer's origin: `app://porthole`, or the dev server's in development. */
  origin: string
  log: Log
  /** Gives calls `ctx.startDrag` for the calling window (main/electron/drag.ts); without it drags are unsupported. */
  startDrag?: (contents: IpcContents, file: string) => void
}

export type SenderVerdict = { ok: true } | { ok: false; reason: string }

/**
 * A call is served only when it comes from the top frame of one of the app's windows and that
 * frame shows the app's own origin. A subframe, another web contents, or a page that got
 * navigated somewhere else is refused before anything is parsed.
 */
export function checkSender(event: IpcInvokeEvent, appContents: readonly IpcContents[], origin: string): SenderVerdict {
  const frame = event.senderFrame
  if (frame === null) return { ok: false, reason: 'sender frame is gone' }
  if (frame.parent !== null) return { ok: false, reason: 'sender is a subframe' }
  if (!appContents.includes(event.sender)) return { ok: false, reason: 'sender is not an app window' }
  if (originOf(frame.url) !== origin) return { ok: false, reason: 'sender has a foreign origin' }
  return { ok: true }
}

const FORBIDDEN: CallResult<never> = {
  ok: false,
  error: { code: 'FORBIDDEN_SENDER', message: 'This page may not call Porthole.', retryable: false },
}

/**
 * Electron IPC as a transport for the contract: one `ipcMain.handle` for every call and
 * `webContents.send` for events, to app windows only. Each window's calls share an
 * AbortSignal that fires when its web contents is destroyed. Returns a function that unbinds.
 */
export function bindIpcTransport(options: IpcTransportOptions): { dispose(): void } {
  const { ipcMain, dispatch, events, log, origin } = options
  const signals = new WeakMap<IpcContents, AbortSignal>()

  function signalFor(contents: IpcContents): AbortSignal {
    let signal = signals.get(contents)
    if (!signal) {
      const controller = new AbortController()
      contents.once('destroyed', () => controller.abort())
      signal = controller.signal
      signals.set(contents, signal)
    }
    return signal
  }

  ipcMain.handle(IPC_CALL, async (event, name: unknown, payload: unknown) => {
    const verdict = checkSender(event, options.appContents(), origin)
    if (!verdict.ok) {
      // The origin only: a full URL may carry tokens.
      log.warn('IPC call refused', { reason: verdict.reason, origin: originOf(event.senderFrame?.url ?? '') ?? '(none)' })
      return FORBIDDEN
    }
    const { startDrag } = options
    const ctx: CallContext = startDrag
      ? { transport: 'ipc', signal: signalFor(event.sender), startDrag: (file) => startDrag(event.sender, file) }
      : { transport: 'ipc', signal: signalFor(event.sender) }
    return dispatch(name, payload, ctx)
  })

  const unsubscribe = events.subscribe((name, payload) => {
    for (const contents of options.appContents()) {
      if (contents.isDestroyed()) continue
      if (originOf(contents.mainFrame.url) !== origin) continue
      contents.send(IPC_EVENT, name, payload)
    }
  })

  return {
    dispose() {
      unsubscribe()
      ipcMain.removeHandler(IPC_CALL)
    },
  }
}
