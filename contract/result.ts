import { z } from 'zod'
import { WireError } from './errors'

/** What every call resolves to on the client: plain data, so it survives contextBridge and JSON. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: WireError }

export const CallResultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: WireError }),
])
