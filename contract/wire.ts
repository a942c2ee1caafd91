import { z } from 'zod'
import { WireError } from './errors'

/** Frames of the loopback WebSocket transport. The first client frame must be `hello`. */
export const ClientFrame = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('hello'), token: z.string().max(256) }),
  z.strictObject({
    type: z.literal('call'),
    id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    name: z.string().max(128),
    // JSON drops an `undefined` payload's key; the call's own schema decides whether that is valid,
    // as it does over IPC. Requiring the key would close the whole socket instead.
    payload: z.unknown().optional(),
  }),
])
export type ClientFrame = z.infer<typeof ClientFrame>

export const ServerFrame = z.union([
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('result'), id: z.number(), ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('result'), id: z.number(), ok: z.literal(false), error: WireError }),
  z.object({ type: z.literal('event'), name: z.string(), payload: z.unknown() }),
])
export type ServerFrame = z.infer<typeof ServerFrame>

/** Largest frame the host accepts; a bigger one closes the socket (1009). */
export const MAX_FRAME_BYTES = 1024 * 1024

/** WebSocket close codes the host uses, so the client can say why. */
export const CloseCode = {
  badToken: 4001,
  malformed: 4002,
  tooBig: 1009,
} as const
