// A headless Chromium driven over the DevTools protocol (a pipe), with nothing else attached to
// its page. Playwright turns on the Network domain of every page it drives, so every WebSocket
// frame the page receives is copied into a DevTools event by the renderer, relayed by the
// browser and parsed by Playwright's driver in the bench's process, which is also Porthole's
// main: with 50,000 VMs that is megabytes of rows copied three more times per load, CPU the app
// never spends (no DevTools is attached to Porthole's window). Benches that measure a page
// taking in a lot of WebSocket data use this page instead.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import type { Readable, Writable } from 'node:stream'

export interface CdpPage {
  /** Evaluates an expression in the page (promises awaited) and returns its value. */
  evaluate<T>(expression: string): Promise<T>
  /** A DevTools command on the page's session. */
  send<T = unknown>(method: string, params?: object): Promise<T>
  /** Presses a key as a user would: 'a', '.', 'Backspace', 'Control+f'. */
  press(key: string): Promise<void>
  /** Uncaught exceptions in the page so far. */
  readonly errors: readonly string[]
}

export interface CdpBrowser {
  newPage(url: string, viewport: { width: number; height: number }): Promise<CdpPage>
  /** Records a Chromium trace (devtools.timeline and friends) until the returned stop is called; writes it to `file`. */
  startTracing(file: string): Promise<() => Promise<void>>
  close(): Promise<void>
}

interface Message {
  id?: number
  method?: string
  params?: Record<string, unknown>
  sessionId?: string
  result?: unknown
  error?: { message: string }
}

const SPECIAL: Record<string, { code: string; keyCode: number }> = {
  Backspace: { code: 'Backspace', keyCode: 8 },
  Enter: { code: 'Enter', keyCode: 13 },
  Escape: { code: 'Escape', keyCode: 27 },
}
const PUNCTUATION: Record<string, { code: string; keyCode: number }> = {
  '-': { code: 'Minus', keyCode: 189 },
  '.': { code: 'Period', keyCode: 190 },
  ' ': { code: 'Space', keyCode: 32 },
}

/** The key events of one key: code and Windows key code of a US keyboard (what the bench types). */
function keyOf(key: string): { key: string; code: string; keyCode: number; text?: string } {
  const special = SPECIAL[key]
  if (special) return { key, ...special }
  const punctuation = PUNCTUATION[key]
  if (punctuation) return { key, ...punctuation, text: key }
  if (/^[a-z0-9]$/i.test(key)) {
    const upper = key.toUpperCase()
    return { key, code: /\d/.test(key) ? `Digit${key}` : `Key${upper}`, keyCode: upper.charCodeAt(0), text: key }
  }
  throw new Error(`the bench's keyboard has no key ${JSON.stringify(key)}`)
}

export async function launchChromium(executablePath: string, args: readonly string[]): Promise<CdpBrowser> {
  const userDataDir = fs.mkdtempSync('/tmp/porthole-bench-chromium-')
  const child = spawn(executablePath, ['--headless', '--remote-debugging-pipe', `--user-data-dir=${userDataDir}`, ...args, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
  })
  const toBrowser = child.stdio[3] as Writable
  const fromBrowser = child.stdio[4] as Readable
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  const listeners = new Set<(m: Message) => void>()
  let nextId = 1
  let buffered = ''
  fromBrowser.setEncoding('utf8')
  fromBrowser.on('data', (chunk: string) => {
    buffered += chunk
    for (let end = buffered.indexOf('\0'); end >= 0; end = buffered.indexOf('\0')) {
      const message = JSON.parse(buffered.slice(0, end)) as Message
      buffered = buffered.slice(end + 1)
      if (message.id !== undefined) {
        const waiter = pending.get(message.id)
        pending.delete(message.id)
        if (message.error) waiter?.reject(new Error(message.error.message))
        else waiter?.resolve(message.result)
      } else for (const listener of listeners) listener(message)
    }
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.once('exit', () => {
    for (const waiter of pending.values()) waiter.reject(new Error('Chromium exited'))
    pending.clear()
  })

  const send = <T>(method: string, params: object = {}, sessionId?: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = nextId++
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`)
    })

  return {
    async newPage(url, viewport) {
      const { targetId } = await send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' })
      const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true })
      const errors: string[] = []
      listeners.add((m) => {
        if (m.sessionId === sessionId && m.method === 'Runtime.exceptionThrown') {
          const details = m.params?.exceptionDetails as { text?: string; exception?: { description?: string } } | undefined
          errors.push(details?.exception?.description ?? details?.text ?? 'an exception')
        }
      })
      const pageSend = <T>(method: string, params?: object): Promise<T> => send<T>(method, params, sessionId)
      await pageSend('Runtime.enable')
      await pageSend('Emulation.setDeviceMetricsOverride', { ...viewport, deviceScaleFactor: 1, mobile: false })
      await pageSend('Page.navigate', { url })
      const evaluate = async <T>(expression: string): Promise<T> => {
        const r = await pageSend<{ result: { value?: unknown }; exceptionDetails?: { text: string; exception?: { description?: string } } }>('Runtime.evaluate', {
          expression,
          awaitPromise: true,
          returnByValue: true,
        })
        if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text)
        return r.result.value as T
      }
      const dispatch = (params: object): Promise<unknown> => pageSend('Input.dispatchKeyEvent', params)
      return {
        evaluate,
        send: pageSend,
        errors,
        async press(combo) {
          const parts = combo.split('+')
          const control = parts.length === 2 && parts[0] === 'Control'
          const k = keyOf(parts[parts.length - 1] as string)
          const modifiers = control ? 2 : 0
          if (control) await dispatch({ type: 'rawKeyDown', key: 'Control', code: 'ControlLeft', windowsVirtualKeyCode: 17, modifiers })
          const base = { key: k.key, code: k.code, windowsVirtualKeyCode: k.keyCode, modifiers }
          await dispatch(k.text !== undefined && !control ? { type: 'keyDown', ...base, text: k.text, unmodifiedText: k.text } : { type: 'rawKeyDown', ...base })
          await dispatch({ type: 'keyUp', ...base })
          if (control) await dispatch({ type: 'keyUp', key: 'Control', code: 'ControlLeft', windowsVirtualKeyCode: 17, modifiers: 0 })
        },
      }
    },

    async startTracing(file) {
      const events: unknown[] = []
      const collect = (m: Message): void => {
        if (m.method === 'Tracing.dataCollected') events.push(...((m.params?.value as unknown[]) ?? []))
      }
      listeners.add(collect)
      await send('Tracing.start', { categories: 'devtools.timeline,v8,blink,cc,toplevel', transferMode: 'ReportEvents' })
      return async () => {
        const complete = new Promise<void>((resolve) => {
          const done = (m: Message): void => {
            if (m.method !== 'Tracing.tracingComplete') return
            listeners.delete(done)
            resolve()
          }
          listeners.add(done)
        })
        await send('Tracing.end')
        await complete
        listeners.delete(collect)
        fs.writeFileSync(file, JSON.stringify({ traceEvents: events }))
      }
    },

    async close() {
      await send('Browser.close').catch(() => undefined)
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(killer)
      fs.rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}
