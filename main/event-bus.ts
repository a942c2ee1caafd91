import type { EventPayload } from '../contract/define'
import { events, type EventName, type Events } from '../contract/index'
import type { Log } from './services/log/log'

export type EventListener = (name: EventName, payload: unknown) => void

/** Typed events from services to every transport. Payloads are parsed with their schema, so extra fields never leave main. */
export interface EventBus {
  emit<E extends EventName>(name: E, payload: EventPayload<Events[E]>): void
  subscribe(listener: EventListener): () => void
}

export function createEventBus(log: Log): EventBus {
  const listeners = new Set<EventListener>()
  return {
    emit(name, payload) {
      const parsed = events[name].payload.safeParse(payload)
      if (!parsed.success) {
        log.error(`event ${name} does not match the contract; dropped`, { issues: parsed.error.issues.length })
        return
      }
      for (const listener of listeners) {
        try {
          listener(name, parsed.data)
        } catch (err) {
          log.error('event listener failed', { event: name, error: String(err) })
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
