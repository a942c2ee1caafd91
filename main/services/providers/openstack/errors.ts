// Keystone and Nova error bodies → contract errors (reference openstack.md §1.3, §6 and "Read
// this first" 3, 8, 9, 10). Three shapes: Keystone's (and keystonemiddleware's)
// `{"error": {code, title, message}}`, Nova's one-key faults `{"<faultName>": {code, message}}`,
// and the router's three-key 404. Anything else (an HTML page from a proxy) falls back to the
// HTTP status. The server's own message is kept, except Keystone's schema dumps.
import { PortholeError, type ErrorCode } from '../../../../contract/errors'

/** What an OpenStack error answer says. */
export interface OpenstackFault {
  status: number
  shape: 'keystone' | 'nova' | 'router' | 'other'
  /** Nova's fault name (`itemNotFound`, `conflictingRequest`, …). */
  faultName: string | undefined
  message: string | undefined
  /** Seconds, from the Retry-After header or the body's `retryAfter`. */
  retryAfter: number | undefined
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}

/** Reads an error body leniently; `retryAfterHeader` is the Retry-After header, if any. */
export function parseFault(status: number, text: string, retryAfterHeader?: string): OpenstackFault {
  let json: unknown
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  const fault: OpenstackFault = { status, shape: 'other', faultName: undefined, message: undefined, retryAfter: seconds(retryAfterHeader) }
  const body = record(json)
  if (!body) return fault
  const keys = Object.keys(body)
  const error = record(body.error)
  if (error && keys.length === 1) {
    fault.shape = 'keystone'
    fault.message = typeof error.message === 'string' ? error.message : undefined
    return fault
  }
  if (keys.length === 1) {
    const inner = record(body[keys[0] as string])
    if (inner && (typeof inner.message === 'string' || typeof inner.code === 'number')) {
      fault.shape = 'nova'
      fault.faultName = keys[0]
      fault.message = typeof inner.message === 'string' ? inner.message : undefined
      fault.retryAfter ??= seconds(typeof inner.retryAfter === 'string' || typeof inner.retryAfter === 'number' ? String(inner.retryAfter) : undefined)
      return fault
    }
  }
  if (typeof body.title === 'string' && typeof body.code === 'string') {
    fault.shape = 'router'
    fault.message = typeof body.message === 'string' ? body.message.replace(/<br\s*\/?>/g, ' ').trim() : undefined
  }
  return fault
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  return Number.isFinite(n) && n >= 0 ? n : undefined
}

function byStatus(status: number): ErrorCode {
  if (status === 401) return 'AUTH_FAILED'
  if (status === 403) return 'PERMISSION_DENIED'
  if (status === 404) return 'NOT_FOUND'
  if (status === 409) return 'CONFLICT'
  if (status === 413 || status === 429) return 'RATE_LIMITED'
  if (status === 406 || status === 501) return 'UNSUPPORTED'
  if (status === 502 || status === 503) return 'PROVIDER_UNAVAILABLE'
  if (status === 504) return 'TIMEOUT'
  return 'PROVIDER_ERROR'
}

/** What the call was, so a message can say so and a 409 can be told apart. */
export type FaultContext = 'auth' | 'list' | 'server' | 'action' | 'console' | 'version'

/** The contract error for an OpenStack error answer. */
export function faultError(f: OpenstackFault, context: FaultContext): PortholeError {
  let code = byStatus(f.status)
  let message = f.message
  if (f.status === 409 && f.message !== undefined) {
    // "Cannot 'stop' instance … while it is in vm_state stopped", "Instance … is not ready": a state
    // problem the user can fix by waiting or acting; "is locked" is someone else's hold.
    code = /\bis locked\b/.test(f.message) ? 'CONFLICT' : 'VM_STATE'
  }
  if (f.status === 400 && f.message !== undefined && /(Invalid|Unavailable) console type/.test(f.message)) code = 'UNSUPPORTED'
  if (context === 'auth') {
    if (f.status === 401) {
      message = f.message?.includes('cannot request a scope')
        ? 'Keystone refused the application credential: it must be sent without a project scope.'
        : 'Keystone refused the credentials (wrong user, password, project or application credential).'
    }
    // Keystone's 400 is a long JSON-schema dump: never show it verbatim ("Read this first" 10).
    if (f.status === 400) message = 'Keystone refused the authentication request as malformed.'
  }
  if (f.shape === 'router' && f.status === 404) message = `The OpenStack endpoint has no such path (HTTP 404).`
  const detail: Record<string, unknown> = { status: f.status }
  if (f.faultName !== undefined) detail.fault = f.faultName
  if (f.retryAfter !== undefined) detail.retryAfterSeconds = f.retryAfter
  const text = message ?? `OpenStack answered HTTP ${f.status}${f.faultName ? ` ${f.faultName}` : ''}.`
  return new PortholeError(code, text, { detail })
}
