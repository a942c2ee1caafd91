import type { z } from 'zod'

/** A request/response call: main parses `input` before the handler runs and `output` before replying. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: 'call'
  readonly input: I
  readonly output: O
  /** What the call does, for the reader of the contract. */
  readonly doc: string
}

/** A message main pushes to the renderer. */
export interface EventSpec<P extends z.ZodType = z.ZodType> {
  readonly kind: 'event'
  readonly payload: P
  readonly doc: string
}

export function call<I extends z.ZodType, O extends z.ZodType>(
  doc: string,
  input: I,
  output: O,
): CallSpec<I, O> {
  return { kind: 'call', input, output, doc }
}

export function event<P extends z.ZodType>(doc: string, payload: P): EventSpec<P> {
  return { kind: 'event', payload, doc }
}

export type CallMap = Record<string, CallSpec>
export type EventMap = Record<string, EventSpec>

export type CallInput<C extends CallSpec> = z.input<C['input']>
export type CallOutput<C extends CallSpec> = z.output<C['output']>
export type HandlerInput<C extends CallSpec> = z.output<C['input']>
export type EventPayload<E extends EventSpec> = z.output<E['payload']>
