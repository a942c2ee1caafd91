import { createClient, type PortholeApi } from '../../contract/client'
import type { CallInput, CallOutput } from '../../contract/define'
import { PortholeError } from '../../contract/errors'
import type { Calls } from '../../contract/index'
import { connectWebSocket, harnessFromLocation, type WebSocketLike } from '../../contract/ws-client'

let api: PortholeApi | undefined
let connecting: Promise<PortholeApi> | undefined
const lostListeners = new Set<() => void>()
let lost = false

/** Opens the harness socket and reports its closing: calls then fail one by one, the shell should also say so once. */
function openSocket(url: string): WebSocketLike {
  const socket = new WebSocket(url)
  let ready = false
  socket.addEventListener('message', () => (ready = true))
  socket.addEventListener('close', () => {
    if (!ready) return
    lost = true
    for (const listener of lostListeners) listener()
  })
  return socket
}

async function connect(): Promise<PortholeApi> {
  if (window.porthole) return window.porthole
  const harness = harnessFromLocation(window.location)
  if (!harness) throw new Error('No Porthole host: open the URL that `npm run dev:web` printed (it carries the token).')
  const client = createClient(await connectWebSocket(harness.url, harness.token, openSocket))
  // The token has done its job; keep it out of the address bar, history and screenshots.
  history.replaceState(null, '', window.location.pathname)
  return client
}

/** Finds the contract client: the preload's in Electron, a WebSocket to the harness host in a browser. */
export function connectApi(): Promise<PortholeApi> {
  if (api) return Promise.resolve(api)
  // One connection however many callers race here; a failed attempt may be retried.
  connecting ??= connect().then(
    (client) => (api = client),
    (err: unknown) => {
      connecting = undefined
      throw err
    },
  )
  return connecting
}

/** Called when an established connection to the host drops (browser harness only: Electron IPC does not drop). */
export function onConnectionLost(listener: () => void): () => void {
  lostListeners.add(listener)
  return () => lostListeners.delete(listener)
}

/** Whether an established connection to the host dropped (browser harness only). */
export function connectionLost(): boolean {
  return lost
}

/** Sets the client directly: for unit tests of stores, which run without a host. */
export function provideApi(client: PortholeApi | undefined): void {
  api = client
  connecting = undefined
}

export function getApi(): PortholeApi {
  if (!api) throw new Error('connectApi() has not finished')
  return api
}

/** Calls main and throws a PortholeError on failure, for code that prefers exceptions. */
export async function invoke<K extends keyof Calls>(name: K, input: CallInput<Calls[K]>): Promise<CallOutput<Calls[K]>> {
  const result = await getApi().call(name, input)
  if (!result.ok) throw PortholeError.fromWire(result.error)
  return result.value
}
