import { useCallback, useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react'
import type { ProviderKind, VmRef } from '../../../../contract/inventory'
import { PortholeError, isPortholeError, type ErrorCode } from '../../../../contract/errors'
import { invoke } from '../../api'
import { notifyError, notifyInfo } from '../../store/notify'
import { useTabs } from '../../store/tabs'
import type { TabViewProps } from '../../app/tab-views'
import { untrustedDetailOf } from '../tls/with-tls-prompt'
import { useTlsPrompt } from '../tls/prompt-store'
import { useProfiles } from '../profiles/store'
import { KEYBOARD_LAYOUTS, keyboardLayout, planKeystrokes, type KeyboardLayoutId } from '../../../../contract/keyboard'
import type { ConsoleKeySequence } from '../../../../contract/profiles'
import type { ConsoleStep } from '../../../../contract/consoles'
import { useSettings } from '../../store/settings'
import { KEY_COMBOS, MAX_PASTE_CHARS, parseSequence } from './keys'
import { localLayout, type LayoutChoice } from './local-layout'
import { diagnose, diagnoseWire } from '../../../../contract/console-doctor'
import { diagnosticsText, type DoctorReport } from './diagnostics'
import { openInVmrc } from './open-console'
import { backoffMs, closeReasonText, MAX_RECONNECTS, worthRetrying } from './reconnect'
import { RfbSurface, type Scaling } from './rfb-surface'
import { SerialSurface } from './serial-surface'
import { followConsoleStates, useConsoles, type ConsolePhase } from './store'
import { matchChord } from '../../app/chord'
import { ConsoleFullscreen, FULLSCREEN_CHORD, fullscreenText, HINT_MS, keyboardLockApi, type FullscreenState } from './fullscreen'
import './consoles.css'

/** What a console tab carries: the VM, which console, and names for display. */
export interface ConsoleTabParams {
  ref: VmRef
  protocol: 'rfb' | 'serial'
  name: string
  provider: ProviderKind
}

type Surface = RfbSurface | SerialSurface

interface Failure {
  text: string
  code: ErrorCode | undefined
  /** The connection doctor's finding and the steps' timings, when known. */
  doctor?: DoctorReport
}

const SCALINGS: ReadonlyArray<{ id: Scaling; label: string; hint: string }> = [
  { id: 'fit', label: 'Fit', hint: 'Scale the screen to fit the tab' },
  { id: 'actual', label: '1:1', hint: 'Show the screen at its real size in screen points' },
  { id: 'sharp', label: '1:1 sharp', hint: 'One VM pixel per device pixel (crisp on HiDPI screens; smaller)' },
  { id: 'remote', label: 'Resize VM', hint: 'Ask the VM to change its resolution to the tab (where the guest supports it)' },
]

const STEP_NAMES: Record<ConsoleStep, string> = {
  ticket: 'Console ticket from the provider',
  network: 'Network connection to the console host',
  tls: 'Certificate check',
  websocket: 'Console proxy (WebSocket)',
  rfb: 'VNC handshake',
  session: 'Console session',
}

/** The release chord: Ctrl+Alt+Shift together (what a VM never needs, and every keyboard has). */
function isReleaseChord(e: KeyboardEvent | ReactKeyboardEvent): boolean {
  return e.ctrlKey && e.altKey && e.shiftKey
}

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

function stamp(): string {
  return new Date().toISOString().replace(/[:]/g, '-').replace(/\..*$/, '')
}

/** One VM console in a tab: noVNC or xterm.js through the relay, reconnecting with fresh tickets. */
export function ConsoleTab({ tab, active }: TabViewProps<'console'>) {
  const { ref, protocol, name } = tab.params
  const screenRef = useRef<HTMLDivElement>(null)
  const rootRef = useRef<HTMLDivElement>(null)
  const releaseRef = useRef<HTMLButtonElement>(null)
  const surfaceRef = useRef<Surface | null>(null)
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const attemptRef = useRef(0)
  const startedAt = useRef(0)
  const closing = useRef(false)
  const [phase, setPhase] = useState<ConsolePhase>('opening')
  const [handle, setHandle] = useState<string | undefined>()
  const [failure, setFailure] = useState<Failure | undefined>()
  const [retryAt, setRetryAt] = useState<number | undefined>()
  const [attempt, setAttempt] = useState(0)
  const [now, setNow] = useState(Date.now())
  const [connectMs, setConnectMs] = useState<number | undefined>()
  const [resolution, setResolution] = useState<string | undefined>()
  const [scaling, setScalingState] = useState<Scaling>('fit')
  const [viewOnly, setViewOnlyState] = useState(false)
  const [captured, setCaptured] = useState(false)
  const [fillWindow, setFillWindow] = useState(false)
  const [fullscreen, setFullscreen] = useState<FullscreenState>({ on: false, lock: 'pending' })
  const [fullscreenHint, setFullscreenHint] = useState(false)
  const fullscreenRef = useRef<ConsoleFullscreen | null>(null)
  const fullscreenButtonRef = useRef<HTMLButtonElement>(null)
  /** Where the focus was before full screen, to give it back on leaving. */
  const focusBeforeFullscreen = useRef<HTMLElement | null>(null)
  const toggleFullScreenRef = useRef<() => Promise<void>>(async () => undefined)
  const [menu, setMenu] = useState<'combos' | 'paste' | undefined>()
  const [pasteText, setPasteText] = useState('')
  const [typing, setTyping] = useState<{ done: number; total: number; abort: AbortController } | undefined>()
  const status = useConsoles((s) => (handle ? s.statuses.get(handle) : undefined))
  const profile = useProfiles((s) => s.profiles.find((p) => p.id === ref.connectionId))
  const vmKey = `${ref.connectionId}/${ref.id}`
  const vmLayout = useSettings((s) => s.settings.consoleLayouts[vmKey])
  const layoutChoice: LayoutChoice = vmLayout ?? profile?.keyboardLayout ?? 'auto'
  const [local, setLocal] = useState<KeyboardLayoutId>('en-US')
  const guestLayout: KeyboardLayoutId = layoutChoice === 'auto' ? local : layoutChoice
  const cmdAsCtrl = profile?.cmdAsCtrl ?? false
  const clipboardToGuest = profile?.clipboardToGuest ?? true
  const clipboardFromGuest = profile?.clipboardFromGuest ?? false
  const [clipboard, setClipboard] = useState<boolean | undefined>()
  const lastSentClipboard = useRef<string | undefined>(undefined)
  const sequences: readonly ConsoleKeySequence[] = profile?.keySequences ?? []

  const connectRef = useRef<() => Promise<void>>(async () => undefined)

  const fail = useCallback(
    (failureNow: Failure, detail?: ReturnType<typeof untrustedDetailOf>) => {
      setFailure(failureNow)
      setConnectMs(undefined)
      if (failureNow.code === 'TLS_UNTRUSTED' && detail) {
        setPhase('failed')
        // The console's host (an ESXi host, a console proxy) has its own certificate: ask, then try again.
        void useTlsPrompt
          .getState()
          .ask(ref.connectionId, detail, `${useProfiles.getState().profiles.find((p) => p.id === ref.connectionId)?.name ?? name} (console of ${name})`)
          .then((trusted) => {
            if (trusted && !closing.current) {
              attemptRef.current = 0
              setAttempt(0)
              void connectRef.current()
            }
          })
        return
      }
      if (worthRetrying(failureNow.code) && attemptRef.current < MAX_RECONNECTS) {
        attemptRef.current += 1
        setAttempt(attemptRef.current)
        const wait = backoffMs(attemptRef.current)
        setRetryAt(Date.now() + wait)
        setPhase('retrying')
        clearTimeout(retryTimer.current)
        retryTimer.current = setTimeout(() => void connectRef.current(), wait)
        return
      }
      setPhase('failed')
    },
    [ref.connectionId, name],
  )

  const connect = useCallback(async () => {
    clearTimeout(retryTimer.current)
    setRetryAt(undefined)
    setPhase('opening')
    const openedAt = performance.now()
    let opened
    try {
      opened = await invoke('console.open', { ref, kind: protocol })
    } catch (err) {
      if (closing.current) return
      const e = isPortholeError(err) ? err : new PortholeError('INTERNAL', String(err))
      const at = Math.round(performance.now() - openedAt)
      fail({ text: e.message, code: e.code, doctor: { diagnosis: diagnoseWire(e.toWire(), 'ticket'), timings: [{ step: 'ticket', ms: at, ok: false }] } }, untrustedDetailOf(e))
      return
    }
    if (closing.current || opened.protocol === 'vmrc') return
    setHandle(opened.handle)
    setPhase('connecting')
    startedAt.current = performance.now()
    surfaceRef.current?.connect(opened.relayUrl)
  }, [ref, protocol, fail])
  connectRef.current = connect

  const onConnect = useCallback(() => {
    attemptRef.current = 0
    setAttempt(0)
    setFailure(undefined)
    setConnectMs(Math.round(performance.now() - startedAt.current))
    setPhase('connected')
  }, [])

  const onDisconnect = useCallback(
    async (openHandle: string | undefined) => {
      if (closing.current) return
      setPhase('opening')
      // The relay knows why it closed; the tab only saw the socket end.
      const why = openHandle ? await invoke('console.status', { handle: openHandle }).catch(() => undefined) : undefined
      if (closing.current) return
      const err = why?.error ? PortholeError.fromWire(why.error) : undefined
      const local = handshakeProblem.current
      handshakeProblem.current = undefined
      const diagnosis = why?.diagnosis ?? (local ? diagnose({ message: local, phase: 'handshake' }) : undefined)
      // Only noVNC knows (the relay saw the tab hang up): its step failed now, in its words.
      const localOnly = local !== undefined && diagnosis !== undefined && why?.diagnosis === undefined
      const timings = localOnly ? [...(why?.timings ?? []), { step: diagnosis.step, ms: Math.round(performance.now() - startedAt.current), ok: false }] : (why?.timings ?? [])
      const text = localOnly ? `${local[0]!.toUpperCase()}${local.slice(1)}.` : closeReasonText(why)
      fail({ text, code: why?.error?.code, ...(diagnosis ? { doctor: { diagnosis, timings } } : {}) }, err ? untrustedDetailOf(err) : undefined)
    },
    [fail],
  )
  const handleRef = useRef<string | undefined>(undefined)
  /** What noVNC itself said went wrong in the RFB handshake (a password asked for, a security failure). */
  const handshakeProblem = useRef<string | undefined>(undefined)
  handleRef.current = handle

  // The surface lives as long as the tab; connections come and go under it.
  useEffect(() => {
    const el = screenRef.current
    if (!el) return
    closing.current = false
    followConsoleStates()
    const events = {
      onConnect,
      onDisconnect: () => void onDisconnect(handleRef.current),
      onHandshakeProblem: (message: string) => {
        handshakeProblem.current = message
      },
      // Guest → local, only when the profile allows it (the surface checks too).
      onClipboard: (text: string) => {
        lastSentClipboard.current = text
        void navigator.clipboard?.writeText?.(text).catch(() => undefined)
      },
    }
    const surface: Surface = protocol === 'rfb' ? new RfbSurface(el, events) : new SerialSurface(el, events)
    surfaceRef.current = surface
    useConsoles.getState().register({
      tabId: tab.id,
      title: tab.title,
      ref,
      protocol,
      phase: 'opening',
      canvas: () => (surface instanceof RfbSurface ? surface.canvas() : null),
      refresh: () => surface instanceof RfbSurface && surface.requestFrame(),
      lines: () => (surface instanceof SerialSurface ? surface.lines() : []),
    })
    void connect()
    return () => {
      closing.current = true
      clearTimeout(retryTimer.current)
      const open = handleRef.current
      if (surface instanceof SerialSurface) surface.dispose()
      else surface.disconnect()
      surfaceRef.current = null
      useConsoles.getState().unregister(tab.id)
      if (open) void invoke('console.close', { handle: open }).catch(() => undefined)
    }
    // One surface per tab: the tab's VM and protocol never change.
  }, [])

  useEffect(() => {
    useConsoles.getState().update(tab.id, { phase })
  }, [tab.id, phase])

  useEffect(() => {
    void localLayout().then(setLocal)
  }, [])

  useEffect(() => {
    const surface = surfaceRef.current
    if (surface instanceof RfbSurface) surface.setCmdAsCtrl(cmdAsCtrl)
  }, [cmdAsCtrl])

  useEffect(() => {
    const surface = surfaceRef.current
    if (surface instanceof RfbSurface) surface.setClipboardFromGuest(clipboardFromGuest)
  }, [clipboardFromGuest])

  // Whether this server shares a clipboard, known once connected.
  useEffect(() => {
    const surface = surfaceRef.current
    setClipboard(phase === 'connected' && surface instanceof RfbSurface ? surface.hasClipboard(tab.params.provider) : undefined)
    lastSentClipboard.current = undefined
  }, [phase, tab.params.provider])

  // Local → guest: when the console takes the keyboard, the local clipboard goes to the guest (if it changed).
  useEffect(() => {
    const el = screenRef.current
    if (!el || !clipboardToGuest || !clipboard) return
    const onFocus = (): void => {
      void navigator.clipboard
        ?.readText?.()
        .then((text) => {
          const surface = surfaceRef.current
          if (!text || text === lastSentClipboard.current || !(surface instanceof RfbSurface)) return
          lastSentClipboard.current = text
          surface.pasteToGuestClipboard(text)
        })
        .catch(() => undefined)
    }
    el.addEventListener('focusin', onFocus)
    return () => el.removeEventListener('focusin', onFocus)
  }, [clipboardToGuest, clipboard])

  // Keys held in the guest go up whenever the keyboard leaves it: the window loses focus (full screen's end is below).
  useEffect(() => {
    const releaseKeys = (): void => {
      const surface = surfaceRef.current
      if (surface instanceof RfbSurface) surface.releaseKeys()
    }
    window.addEventListener('blur', releaseKeys)
    return () => window.removeEventListener('blur', releaseKeys)
  }, [])

  // Full screen with the keyboard lock (fullscreen.ts). Leaving it by any route (the chord, a long
  // Esc, F11, the OS) unlocks, releases every key held in the guest and gives the focus back.
  useEffect(() => {
    const root = rootRef.current
    if (!root) return
    const fs = new ConsoleFullscreen({
      target: root,
      doc: document,
      keyboard: keyboardLockApi(navigator),
      onEnter: () => {
        setFullscreenHint(true)
        surfaceRef.current?.focus()
      },
      onExit: () => {
        setFullscreenHint(false)
        const surface = surfaceRef.current
        if (surface instanceof RfbSurface) surface.releaseKeys()
        const back = focusBeforeFullscreen.current
        focusBeforeFullscreen.current = null
        ;(back?.isConnected ? back : fullscreenButtonRef.current)?.focus({ preventScroll: true })
      },
      onChange: setFullscreen,
    })
    fullscreenRef.current = fs
    return () => {
      fullscreenRef.current = null
      fs.dispose()
    }
  }, [])

  useEffect(() => {
    if (!fullscreenHint) return
    const timer = setTimeout(() => setFullscreenHint(false), HINT_MS)
    return () => clearTimeout(timer)
  }, [fullscreenHint])

  // Ctrl+Alt+Enter belongs to the app: taken on the way down (capture), before noVNC sends the Enter
  // to the guest, and before any app shortcut. A tab sent to the back leaves full screen.
  useEffect(() => {
    if (!active) {
      void fullscreenRef.current?.exit()
      return
    }
    const onKey = (e: KeyboardEvent): void => {
      if (!matchChord(FULLSCREEN_CHORD, e)) return
      e.preventDefault()
      e.stopPropagation()
      if (!e.repeat) void toggleFullScreenRef.current()
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [active])

  // A console nobody can see (another tab is in front, the window is minimised) asks for no frames.
  useEffect(() => {
    const update = (): void => {
      const surface = surfaceRef.current
      if (surface instanceof RfbSurface) surface.setVisible(active && document.visibilityState !== 'hidden')
    }
    update()
    document.addEventListener('visibilitychange', update)
    return () => document.removeEventListener('visibilitychange', update)
  }, [active, phase])

  function setLayoutChoice(choice: LayoutChoice): void {
    const patch = { [vmKey]: choice }
    useSettings.setState(({ settings }) => ({ settings: { ...settings, consoleLayouts: { ...settings.consoleLayouts, ...patch } } }))
    void invoke('settings.set', { consoleLayouts: patch }).catch((err: unknown) => notifyError(err, 'Could not remember the keyboard layout'))
  }

  // Countdown and resolution refresh while something changes on screen.
  useEffect(() => {
    if (phase !== 'retrying' && phase !== 'connected') return
    const timer = setInterval(() => {
      setNow(Date.now())
      if (phase === 'connected') {
        setResolution(surfaceRef.current?.resolution())
        // noVNC resets the canvas size on every remote resize; "1:1 sharp" sizes it again.
        if (surfaceRef.current instanceof RfbSurface) surfaceRef.current.applySharp()
      }
    }, phase === 'retrying' ? 250 : 500)
    setResolution(surfaceRef.current?.resolution())
    return () => clearInterval(timer)
  }, [phase])

  // Keyboard capture follows the focus: inside the screen, keys go to the VM.
  useEffect(() => {
    const el = screenRef.current
    if (!el) return
    const update = (): void => setCaptured(el.contains(document.activeElement))
    const onKey = (e: KeyboardEvent): void => {
      if (!isReleaseChord(e)) return
      e.preventDefault()
      e.stopPropagation()
      release()
    }
    el.addEventListener('focusin', update)
    el.addEventListener('focusout', update)
    // Capture phase: the chord is ours before noVNC or xterm see it.
    el.addEventListener('keydown', onKey, true)
    return () => {
      el.removeEventListener('focusin', update)
      el.removeEventListener('focusout', update)
      el.removeEventListener('keydown', onKey, true)
    }
  }, [])

  // A hidden tab gives the keyboard back.
  useEffect(() => {
    if (!active) surfaceRef.current?.blur()
  }, [active])

  function release(): void {
    surfaceRef.current?.blur()
    releaseRef.current?.focus()
    setCaptured(false)
  }

  function capture(): void {
    surfaceRef.current?.focus()
  }

  function cancelRetry(): void {
    clearTimeout(retryTimer.current)
    setRetryAt(undefined)
    attemptRef.current = MAX_RECONNECTS
    setPhase('failed')
  }

  function reconnectNow(): void {
    attemptRef.current = 0
    setAttempt(0)
    surfaceRef.current?.disconnect()
    void connect()
  }

  function setScaling(next: Scaling): void {
    setScalingState(next)
    const surface = surfaceRef.current
    if (!(surface instanceof RfbSurface)) return
    surface.setScaling(next)
    if (next === 'remote' && phase === 'connected' && !surface.canResize()) {
      notifyInfo('This console cannot change the VM’s resolution (its server does not offer remote resize; QEMU’s VGA and ESXi do not). The screen is shown to fit instead.')
      setScalingState('fit')
      surface.setScaling('fit')
    }
  }

  function toggleViewOnly(): void {
    const next = !viewOnly
    setViewOnlyState(next)
    surfaceRef.current?.setViewOnly(next)
  }

  async function toggleFullScreen(): Promise<void> {
    const fs = fullscreenRef.current
    if (fs?.state().on) return fs.exit()
    if (document.fullscreenElement) return void (await document.exitFullscreen().catch(() => undefined))
    if (fillWindow) return setFillWindow(false)
    const before = document.activeElement
    focusBeforeFullscreen.current = before instanceof HTMLElement ? before : null
    if (!(await fs?.enter())) {
      focusBeforeFullscreen.current = null
      // The page may not go full screen (a permission handler said no): fill the window instead.
      setFillWindow(true)
    }
  }
  toggleFullScreenRef.current = toggleFullScreen

  async function screenshot(): Promise<void> {
    const surface = surfaceRef.current
    if (!(surface instanceof RfbSurface)) return
    try {
      download(await surface.screenshot(), `${name.replace(/[^A-Za-z0-9._-]+/g, '_')}-${stamp()}.png`)
    } catch (err) {
      notifyError(err, 'Could not take a screenshot')
    }
  }

  async function openPaste(): Promise<void> {
    setMenu(menu === 'paste' ? undefined : 'paste')
    // Where the page may read the clipboard, start with it; otherwise the user pastes into the box.
    const text = await navigator.clipboard?.readText?.().catch(() => undefined)
    if (text) setPasteText(text.slice(0, MAX_PASTE_CHARS))
  }

  async function typePaste(): Promise<void> {
    const surface = surfaceRef.current
    const text = pasteText.slice(0, MAX_PASTE_CHARS)
    if (!surface || !text) return
    setMenu(undefined)
    if (surface instanceof SerialSurface) {
      surface.sendText(text)
      surface.focus()
      return
    }
    await typeText(surface, text)
    surface.focus()
  }

  /** Types through the guest layout with progress and cancel; says what it could not type. */
  async function typeText(surface: RfbSurface, text: string): Promise<boolean> {
    const abort = new AbortController()
    setTyping({ done: 0, total: [...text].length, abort })
    const result = await surface.type(text, guestLayout, (done, total) => setTyping({ done, total, abort }), abort.signal)
    setTyping(undefined)
    if (result.untypable.length > 0) {
      notifyInfo(`Left out ${result.untypable.length} character${result.untypable.length === 1 ? '' : 's'} the ${keyboardLayout(guestLayout).name} layout cannot type: ${result.untypable.join(' ')}`)
    }
    if (abort.signal.aborted) notifyInfo(`Typing cancelled after ${result.sent} characters.`)
    return !abort.signal.aborted
  }

  async function sendSequence(sequence: ConsoleKeySequence): Promise<void> {
    const surface = surfaceRef.current
    if (!(surface instanceof RfbSurface)) return
    let steps
    try {
      steps = parseSequence(sequence.keys)
    } catch (err) {
      notifyError(err, `The key sequence "${sequence.label}" cannot be sent`)
      return
    }
    for (const step of steps) {
      if (step.kind === 'chord') {
        await surface.sendChord(step.keys)
      } else if (!(await typeText(surface, step.text))) {
        break
      }
    }
    surface.focus()
  }

  const untypable = menu === 'paste' && isRfbSurface() ? planKeystrokes(pasteText.slice(0, MAX_PASTE_CHARS), guestLayout, (surfaceRef.current as RfbSurface).path()).untypable : []

  function isRfbSurface(): boolean {
    return surfaceRef.current instanceof RfbSurface
  }

  async function copyDiagnostics(report: DoctorReport): Promise<void> {
    const text = diagnosticsText(report, { vm: name, provider: tab.params.provider, attempt: attemptRef.current, at: new Date() })
    try {
      await navigator.clipboard.writeText(text)
      notifyInfo('Diagnostics copied (no tickets, tokens or passwords).')
    } catch (err) {
      notifyError(err, 'Could not copy the diagnostics')
    }
  }

  async function detach(): Promise<void> {
    try {
      await invoke('console.detach', { ref, kind: protocol, title: tab.title })
      // The window opened its own session with a new ticket: this tab's ends.
      useTabs.getState().close(tab.id)
    } catch (err) {
      notifyError(err, 'Could not detach the console')
    }
  }

  const seconds = retryAt ? Math.max(0, Math.ceil((retryAt - now) / 1000)) : 0
  const isRfb = protocol === 'rfb'
  const connected = phase === 'connected'
  const stateLine =
    phase === 'connected'
      ? `Connected${resolution ? ` · ${resolution}` : ''}${connectMs !== undefined ? ` · handshake ${connectMs} ms` : ''}`
      : phase === 'retrying'
        ? `Reconnecting in ${seconds} s (try ${attempt} of ${MAX_RECONNECTS})`
        : phase === 'failed'
          ? 'Disconnected'
          : phase === 'connecting'
            ? 'Connecting…'
            : 'Asking for a console ticket…'

  return (
    <div
      ref={rootRef}
      className={`console${fillWindow ? ' is-filling-window' : ''}${captured ? ' is-captured' : ''}`}
      data-phase={phase}
      data-testid="console"
      aria-label={`Console of ${name}`}
      role="region"
    >
      {fullscreen.on && (
        // The pointer's way out, always at the top edge (as virt-viewer's and VMRC's bars); the keyboard's is the chord, since Tab goes to the VM while locked.
        <div className="console-fullscreen-bar" data-testid="fullscreen-bar" data-lock={fullscreen.lock}>
          <span className="console-fullscreen-name">{name}</span>
          <span className="console-fullscreen-status" data-testid="fullscreen-status">
            {fullscreenText(fullscreen.lock).status}
          </span>
          <button type="button" className="button button-ghost" onClick={() => void fullscreenRef.current?.exit()}>
            Exit full screen (Ctrl+Alt+Enter)
          </button>
        </div>
      )}
      {fullscreen.on && fullscreenHint && (
        <div className="console-fullscreen-hint" data-testid="fullscreen-hint" role="status" style={{ animationDuration: `${HINT_MS}ms` }}>
          {fullscreenText(fullscreen.lock).hint}
        </div>
      )}
      {/* Two rows: the status row changes as the console does; the actions below never move under the pointer. */}
      <div className="console-status-row">
        <span className={`console-state console-state-${phase}`} data-testid="console-state" role="status">
          {stateLine}
        </span>
        <span className={`console-capture${captured ? ' is-on' : ''}`} data-testid="keyboard-captured" aria-live="polite">
          {captured ? 'Keyboard captured' : 'Keyboard free'}
        </span>
        <button ref={releaseRef} type="button" className="button button-ghost console-release" onClick={captured ? release : capture} title="Ctrl+Alt+Shift releases the keyboard">
          {captured ? 'Release keyboard (Ctrl+Alt+Shift)' : 'Capture keyboard'}
        </button>
      </div>
      <div className="console-toolbar" role="toolbar" aria-label="Console actions">
        {isRfb && (
          <div className="console-group" role="group" aria-label="Scaling">
            {SCALINGS.map((s) => (
              <button key={s.id} type="button" className="button button-ghost" aria-pressed={scaling === s.id} title={s.hint} onClick={() => setScaling(s.id)}>
                {s.label}
              </button>
            ))}
          </div>
        )}
        {isRfb && (
          <label className="console-layout" title="The guest's keyboard layout: what paste and key sequences type through, remembered for this VM">
            <span>Guest keyboard</span>
            <select aria-label="Guest keyboard layout" value={layoutChoice} onChange={(e) => setLayoutChoice(e.target.value as LayoutChoice)}>
              <option value="auto">Auto ({local})</option>
              {KEYBOARD_LAYOUTS.map((id) => (
                <option key={id} value={id}>
                  {id} — {keyboardLayout(id).name}
                </option>
              ))}
            </select>
          </label>
        )}
        {isRfb && (
          <button type="button" className="button button-ghost" disabled={!connected || viewOnly} onClick={() => surfaceRef.current instanceof RfbSurface && surfaceRef.current.sendCombo(KEY_COMBOS[0]!)}>
            Ctrl+Alt+Del
          </button>
        )}
        {isRfb && (
          <div className="console-menu-anchor">
            <button type="button" className="button button-ghost" aria-haspopup="menu" aria-expanded={menu === 'combos'} disabled={!connected || viewOnly} onClick={() => setMenu(menu === 'combos' ? undefined : 'combos')}>
              Keys ▾
            </button>
            {menu === 'combos' && (
              <div className="console-popover" role="menu" aria-label="Send keys">
                {KEY_COMBOS.map((combo) => (
                  <button
                    key={combo.id}
                    type="button"
                    role="menuitem"
                    className="console-menu-item"
                    onClick={() => {
                      setMenu(undefined)
                      if (surfaceRef.current instanceof RfbSurface) surfaceRef.current.sendCombo(combo)
                      surfaceRef.current?.focus()
                    }}
                  >
                    {combo.label}
                  </button>
                ))}
                {sequences.map((seq) => (
                  <button
                    key={`seq-${seq.label}`}
                    type="button"
                    role="menuitem"
                    className="console-menu-item"
                    title={seq.keys}
                    onClick={() => {
                      setMenu(undefined)
                      void sendSequence(seq)
                    }}
                  >
                    {seq.label}
                  </button>
                ))}
              </div>
            )}
          </div>
        )}
        <div className="console-menu-anchor">
          <button type="button" className="button button-ghost" aria-expanded={menu === 'paste'} disabled={!connected || viewOnly || typing !== undefined} onClick={() => void openPaste()}>
            Paste as keys…
          </button>
          {menu === 'paste' && (
            <div className="console-popover console-paste" role="dialog" aria-label="Paste as keystrokes">
              <label htmlFor={`${tab.id}-paste`}>Text to type into the VM (up to {MAX_PASTE_CHARS.toLocaleString('en')} characters)</label>
              <textarea id={`${tab.id}-paste`} value={pasteText} maxLength={MAX_PASTE_CHARS} rows={5} autoFocus onChange={(e) => setPasteText(e.target.value)} />
              {untypable.length > 0 && (
                <p className="console-paste-warning" role="alert" data-testid="paste-untypable">
                  The {keyboardLayout(guestLayout).name} layout cannot type {untypable.join(' ')}; {untypable.length === 1 ? 'it' : 'they'} will be left out.
                </p>
              )}
              <div className="console-paste-actions">
                <span>{[...pasteText].length.toLocaleString('en')} characters</span>
                <button type="button" className="button button-ghost" onClick={() => setMenu(undefined)}>
                  Cancel
                </button>
                <button type="button" className="button button-primary" disabled={!pasteText} onClick={() => void typePaste()}>
                  Type it
                </button>
              </div>
            </div>
          )}
        </div>
        {isRfb && clipboard !== undefined && (
          <span className="console-clipboard" data-testid="console-clipboard" title={clipboard ? 'RFB cut text: local copies reach the VM when the console takes the keyboard' : 'Use “Paste as keys…” to type text into the VM'}>
            {clipboard
              ? `Clipboard: ${[clipboardToGuest && 'to VM', clipboardFromGuest && 'from VM'].filter(Boolean).join(', ') || 'off'}`
              : 'No clipboard on this server: use Paste as keys'}
          </span>
        )}
        {isRfb && (
          <button type="button" className="button button-ghost" disabled={!connected} onClick={() => void screenshot()}>
            Screenshot
          </button>
        )}
        <button type="button" className="button button-ghost" aria-pressed={viewOnly} onClick={toggleViewOnly}>
          View only
        </button>
        <button
          ref={fullscreenButtonRef}
          type="button"
          className="button button-ghost"
          aria-pressed={fillWindow || fullscreen.on}
          title="Full screen (Ctrl+Alt+Enter): where the browser can lock the keyboard, Alt+Tab, the Windows key and Esc go to the VM"
          onClick={() => void toggleFullScreen()}
        >
          Full screen
        </button>
        <button type="button" className="button button-ghost" onClick={() => void detach()}>
          Detach
        </button>
      </div>
      {typing && (
        <div className="console-typing" role="status">
          <progress max={typing.total} value={typing.done} aria-label="Typing progress" />
          <span>
            Typing {typing.done.toLocaleString('en')} of {typing.total.toLocaleString('en')}…
          </span>
          <button type="button" className="button button-ghost" onClick={() => typing.abort.abort()}>
            Cancel typing
          </button>
        </div>
      )}
      <div className="console-stage">
        <div ref={screenRef} className={`console-screen console-screen-${protocol}${scaling === 'actual' || scaling === 'sharp' ? ' is-actual' : ''}`} data-testid="console-screen" />
        {!connected && (
          <div className="console-overlay" data-testid="console-overlay">
            <div className="console-overlay-box">
              <p className="console-overlay-title">{phase === 'failed' ? 'Disconnected' : phase === 'retrying' ? 'Disconnected — reconnecting' : 'Connecting…'}</p>
              {failure?.doctor && (
                <div className="console-doctor" data-testid="console-doctor" data-cause={failure.doctor.diagnosis.cause}>
                  <p className="console-doctor-title">{failure.doctor.diagnosis.title}</p>
                  <p className="console-doctor-advice">{failure.doctor.diagnosis.advice}</p>
                  {/* The reason line below says the rest; fingerprints are what it lacks. */}
                  {failure.doctor.diagnosis.cause === 'certificate' && failure.doctor.diagnosis.detail && <p className="console-doctor-detail">{failure.doctor.diagnosis.detail}</p>}
                  <ol className="console-doctor-steps" aria-label="Connection steps">
                    {failure.doctor.timings.map((t, i) => (
                      <li key={`${t.step}-${i}`} className={t.ok ? 'is-ok' : 'is-failed'}>
                        {STEP_NAMES[t.step]}: {t.ok ? 'ok' : 'failed'} · {Math.round(t.ms)} ms
                      </li>
                    ))}
                  </ol>
                </div>
              )}
              {failure && (
                <p className="console-overlay-reason" data-testid="console-reason">
                  {failure.text}
                </p>
              )}
              {status?.state === 'closed' && !failure && status.reason && <p className="console-overlay-reason">{closeReasonText(status)}</p>}
              {failure?.code === 'UNSUPPORTED' && (
                <p>Porthole shows VNC (RFB) and serial consoles itself; SPICE and RDP consoles open in their own viewer{tab.params.provider === 'vsphere' ? ', such as VMware Remote Console' : ''}.</p>
              )}
              {phase === 'retrying' && (
                <p data-testid="console-countdown">
                  Trying again in {seconds} s (try {attempt} of {MAX_RECONNECTS}) with a new ticket.
                </p>
              )}
              <div className="console-overlay-actions">
                {phase === 'retrying' && (
                  <button type="button" className="button button-secondary" onClick={cancelRetry}>
                    Cancel
                  </button>
                )}
                {(phase === 'failed' || phase === 'retrying') && (
                  <button type="button" className="button button-primary" onClick={reconnectNow}>
                    Reconnect now
                  </button>
                )}
                {failure?.doctor && (
                  <button type="button" className="button button-secondary" onClick={() => void copyDiagnostics(failure.doctor!)}>
                    Copy diagnostics
                  </button>
                )}
                {phase === 'failed' && tab.params.provider === 'vsphere' && (
                  <button type="button" className="button button-secondary" onClick={() => void openInVmrc(ref)}>
                    Open in VMRC
                  </button>
                )}
              </div>
            </div>
          </div>
        )}
      </div>
    </div>
  )
}
