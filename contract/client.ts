import type { CallInput, CallOutput } from './define'
import type { Calls, EventName, Events } from './index'
import type { EventPayload } from './define'
import type { CallResult } from './result'

/** What a transport must provide to carry the contract to a client. */
export interface ClientTransport {
  invoke(name: string, payload: unknown): Promise<CallResult<unknown>>
  /** Receives every event; returns an unsubscribe function. */
  listen(listener: (name: string, payload: unknown) => void): () => void
}

/** The typed client: `window.porthole` in Electron, the same object over the WebSocket in a browser. */
export interface PortholeApi {
  call<K extends keyof Calls>(name: K, input: CallInput<Calls[K]>): Promise<CallResult<CallOutput<Calls[K]>>>
  on<E extends EventName>(name: E, listener: (payload: EventPayload<Events[E]>) => void): () => void
}

export function createClient(transport: ClientTransport): PortholeApi {
  return {
    call(name, input) {
      // The contract types guarantee the value's shape: main parsed it with the output schema.
      return transport.invoke(name, input) as Promise<never>
    },
    on(name, listener) {
      return transport.listen((eventName, payload) => {
        if (eventName === name) listener(payload as never)
      })
    },
  }
}
