import type { z } from 'zod'
import type { Transport } from './app'
import type { CallMap, CallOutput, HandlerInput } from './define'
import { PortholeError, type WireError } from './errors'
import type { CallResult } from './result'

export interface CallContext {
  readonly transport: Transport
  /** Aborted when the caller goes away (window closed, socket dropped). */
  readonly signal: AbortSignal
  /**
   * Starts an OS drag of a local file from the calling window (Electron's
   * `webContents.startDrag`, with the app's icon). Only the IPC transport has it: over the
   * WebSocket harness it is absent.
   */
  readonly startDrag?: (file: string) => void
}

export type Handler<C extends CallMap, K extends keyof C> = (
  input: HandlerInput<C[K]>,
  ctx: CallContext,
) => Promise<CallOutput<C[K]>> | CallOutput<C[K]>

export type Handlers<C extends CallMap> = { [K in keyof C]: Handler<C, K> }

export interface ServeLog {
  error(message: string, meta: Record<string, unknown>): void
}

export type Dispatch = (name: unknown, payload: unknown, ctx: CallContext) => Promise<CallResult<unknown>>

const MAX_ISSUES = 10

function invalidInput(message: string, issues?: z.core.$ZodIssue[]): WireError {
  const error: WireError = { code: 'INVALID_INPUT', message, retryable: false }
  if (issues) {
    // Paths and messages only: the received values may be secrets or huge.
    error.detail = {
      issues: issues.slice(0, MAX_ISSUES).map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    }
  }
  return error
}

let incidentCounter = 0

/**
 * Binds handlers to the contract. Every request is parsed with its schema before its
 * handler runs; every reply is parsed with its output schema, so a field the contract
 * does not name (a secret, say) never leaves main. Anything thrown that is not a
 * PortholeError is logged here and reaches the caller only as INTERNAL with an incident id.
 */
export function serve<C extends CallMap>(calls: C, handlers: Handlers<C>, log: ServeLog): Dispatch {
  return async (name, payload, ctx) => {
    if (typeof name !== 'string' || !Object.hasOwn(calls, name)) {
      return { ok: false, error: invalidInput('Unknown call.') }
    }
    const spec = calls[name] as CallMap[string]
    const handler = handlers[name] as (input: unknown, ctx: CallContext) => unknown
    let parsed: ReturnType<typeof spec.input.safeParse>
    try {
      parsed = spec.input.safeParse(payload)
    } catch (err) {
      // A transform or refine that throws (`new URL(s)`, say) is a contract bug; uncaught, it
      // would reject this promise and take the WebSocket host down. The input is still refused.
      log.error(`input schema of ${name} threw instead of reporting an issue`, {
        error: err instanceof Error ? err.message : String(err),
      })
      return { ok: false, error: invalidInput(`Invalid request for ${name}.`) }
    }
    if (!parsed.success) {
      return { ok: false, error: invalidInput(`Invalid request for ${name}.`, parsed.error.issues) }
    }
    try {
      const value = await handler(parsed.data, ctx)
      const out = spec.output.safeParse(value)
      if (!out.success) {
        throw new Error(`reply of ${name} does not match the contract: ${out.error.message}`)
      }
      return { ok: true, value: out.data }
    } catch (err) {
      if (err instanceof PortholeError) return { ok: false, error: err.toWire() }
      if (ctx.signal.aborted) return { ok: false, error: new PortholeError('CANCELLED', 'Cancelled.').toWire() }
      const incident = `${Date.now().toString(36)}-${(++incidentCounter).toString(36)}`
      log.error(`call ${name} failed`, { incident, error: err instanceof Error ? err.stack ?? err.message : String(err) })
      return {
        ok: false,
        error: {
          code: 'INTERNAL',
          message: `Porthole hit an internal error (incident ${incident}); the details are in the log.`,
          retryable: false,
        },
      }
    }
  }
}
