// How the vCenter lab writes answers in both API styles (reference/vsphere.md §0, §7 and
// "Read this first" 1, 3, 14): errors by type with the per-style status, /rest results wrapped
// in {"value": …} with maps as key/value lists, exact Content-Type, always a Content-Length.
import type { ServerResponse } from 'node:http'

export type Style = 'api' | 'rest'

export type ErrorType =
  | 'ERROR'
  | 'ALREADY_EXISTS'
  | 'ALREADY_IN_DESIRED_STATE'
  | 'INTERNAL_SERVER_ERROR'
  | 'INVALID_ARGUMENT'
  | 'NOT_ALLOWED_IN_CURRENT_STATE'
  | 'NOT_FOUND'
  | 'OPERATION_NOT_FOUND'
  | 'RESOURCE_BUSY'
  | 'RESOURCE_IN_USE'
  | 'RESOURCE_INACCESSIBLE'
  | 'SERVICE_UNAVAILABLE'
  | 'UNABLE_TO_ALLOCATE_RESOURCE'
  | 'UNAUTHENTICATED'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED'

const STATUS: Record<ErrorType, number> = {
  ERROR: 500,
  ALREADY_EXISTS: 400,
  ALREADY_IN_DESIRED_STATE: 400,
  INTERNAL_SERVER_ERROR: 500,
  INVALID_ARGUMENT: 400,
  NOT_ALLOWED_IN_CURRENT_STATE: 400,
  NOT_FOUND: 404,
  OPERATION_NOT_FOUND: 404,
  RESOURCE_BUSY: 500,
  RESOURCE_IN_USE: 400,
  RESOURCE_INACCESSIBLE: 500,
  SERVICE_UNAVAILABLE: 503,
  UNABLE_TO_ALLOCATE_RESOURCE: 500,
  UNAUTHENTICATED: 401,
  UNAUTHORIZED: 403,
  UNSUPPORTED: 400,
}
/** The spec generator maps these to 400 on /rest (reference "Read this first" 3; the lab follows the spec). */
const REST_400: ReadonlySet<ErrorType> = new Set(['RESOURCE_BUSY', 'RESOURCE_INACCESSIBLE', 'UNABLE_TO_ALLOCATE_RESOURCE', 'ERROR'])

export interface Message {
  id: string
  default_message: string
  args: string[]
}

export function message(id: string, defaultMessage: string, ...args: string[]): Message {
  return { id, default_message: defaultMessage, args }
}

/** A vAPI standard error; handlers throw it and the server renders it in the caller's style. */
export class VapiError extends Error {
  constructor(
    readonly type: ErrorType,
    readonly messages: Message[],
    readonly challenge?: string,
  ) {
    super(messages[0]?.default_message ?? type)
  }
}

export function errorStatus(type: ErrorType, style: Style): number {
  return style === 'rest' && REST_400.has(type) ? 400 : STATUS[type]
}

/** The error body: /api `{error_type, messages}`; /rest `{type: com.vmware.vapi.std.errors.x, value: {…}}`. */
export function errorBody(err: VapiError, style: Style): unknown {
  const value: Record<string, unknown> = { error_type: err.type, messages: err.messages }
  if (err.challenge !== undefined) value.challenge = err.challenge
  if (style === 'api') return value
  return { type: `com.vmware.vapi.std.errors.${err.type.toLowerCase()}`, value }
}

/** A successful answer: 'ok' → 200, 'created' → 201 (/rest 200), 'void' → 204 (/rest 200, empty). */
export type Reply = { kind: 'ok' | 'created'; body: unknown } | { kind: 'void' }

export const ok = (body: unknown): Reply => ({ kind: 'ok', body })
export const created = (body: unknown): Reply => ({ kind: 'created', body })
export const done: Reply = { kind: 'void' }

/** Maps in handler bodies are JS Maps; each style encodes them its own way. */
export function encode(value: unknown, style: Style): unknown {
  if (value instanceof Map) {
    if (style === 'rest') return [...value].map(([key, v]) => ({ key, value: encode(v, style) }))
    const out: Record<string, unknown> = {}
    for (const [key, v] of value) out[String(key)] = encode(v, style)
    return out
  }
  if (Array.isArray(value)) return value.map((v) => encode(v, style))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = encode(v, style)
    return out
  }
  return value
}

/** JSON with exactly `application/json` (no charset: a real client compares the string). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
  })
  res.end(text)
}

/** No body: no Content-Type, Content-Length 0. */
export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': '0' })
  res.end()
}

export function sendReply(res: ServerResponse, reply: Reply, style: Style): void {
  if (reply.kind === 'void') return sendEmpty(res, style === 'api' ? 204 : 200)
  const body = encode(reply.body, style)
  if (style === 'rest') return sendJson(res, 200, { value: body })
  sendJson(res, reply.kind === 'created' ? 201 : 200, body)
}

export function sendError(res: ServerResponse, err: VapiError, style: Style): void {
  const headers: Record<string, string> = err.challenge !== undefined ? { 'WWW-Authenticate': err.challenge } : {}
  sendJson(res, errorStatus(err.type, style), errorBody(err, style), headers)
}
