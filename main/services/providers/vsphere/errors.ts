// vSphere error bodies → contract errors (reference §0, §7). Decided by the error type (and the
// message id where one type covers several conditions), never by HTTP status alone: the same
// condition is 500 on /api and 400 on /rest. The status is only a fallback for bodies with no
// type (vcsim's empty 401, an HTML page from a proxy).
import { z } from 'zod'
import { PortholeError, type ErrorCode } from '../../../../contract/errors'

const Message = z.looseObject({
  id: z.string().optional(),
  default_message: z.string().optional(),
})
const ErrorValue = z.looseObject({
  error_type: z.string().optional(),
  messages: z.array(z.unknown()).optional(),
  challenge: z.string().optional(),
})
const RestError = z.looseObject({ type: z.string(), value: z.unknown().optional() })

/** What a vSphere error body says, whichever style and build it came from. */
export interface VsphereFault {
  status: number
  /** UPPER_SNAKE error type (`NOT_FOUND`), when the body names one. */
  type: string | undefined
  messageId: string | undefined
  message: string | undefined
  challenge: boolean
}

/** Reads an error body leniently: /api `{error_type, messages}`, /rest `{type, value}`, vcsim's sloppier forms, or nothing. */
export function parseFault(status: number, text: string): VsphereFault {
  let json: unknown
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  let value: unknown = json
  let restType: string | undefined
  const rest = RestError.safeParse(json)
  if (rest.success) {
    restType = rest.data.type.split('.').pop()?.toUpperCase()
    value = rest.data.value
  }
  const v = ErrorValue.safeParse(value)
  const first = v.success ? Message.safeParse(v.data.messages?.[0]) : undefined
  return {
    status,
    type: (v.success ? v.data.error_type : undefined) ?? restType,
    messageId: first?.success ? first.data.id : undefined,
    message: first?.success ? first.data.default_message : undefined,
    challenge: v.success && v.data.challenge !== undefined,
  }
}

export const TOOLS_NOT_RUNNING_ID = 'com.vmware.api.vcenter.vm.guest.tools_not_running'
export const TOO_MANY_MATCHES_ID = 'com.vmware.api.vcenter.vm.too_many_matches'
/** Message ids vCenter uses when the session (not the guest) is not authenticated. */
const SESSION_AUTH_IDS = new Set(['com.vmware.vapi.endpoint.method.authentication.required', 'vapi.method.authentication.required'])

/** Whether a 401 body is about the vCenter session (missing/expired token) rather than guest credentials. */
export function isSessionFault(f: VsphereFault): 'session' | 'guest' | 'unknown' {
  if (f.challenge || (f.messageId !== undefined && SESSION_AUTH_IDS.has(f.messageId))) return 'session'
  if (f.messageId !== undefined) return 'guest'
  return 'unknown'
}

const BY_TYPE: Record<string, ErrorCode> = {
  UNAUTHENTICATED: 'AUTH_FAILED',
  UNAUTHORIZED: 'PERMISSION_DENIED',
  NOT_FOUND: 'NOT_FOUND',
  NOT_ALLOWED_IN_CURRENT_STATE: 'VM_STATE',
  ALREADY_IN_DESIRED_STATE: 'VM_STATE',
  UNSUPPORTED: 'UNSUPPORTED',
  OPERATION_NOT_FOUND: 'UNSUPPORTED',
  ALREADY_EXISTS: 'CONFLICT',
  RESOURCE_IN_USE: 'CONFLICT',
  RESOURCE_BUSY: 'CONFLICT',
  CONCURRENT_CHANGE: 'CONFLICT',
  FEATURE_IN_USE: 'CONFLICT',
  SERVICE_UNAVAILABLE: 'PROVIDER_UNAVAILABLE',
  TIMED_OUT: 'TIMEOUT',
  CANCELED: 'CANCELLED',
  INVALID_ARGUMENT: 'PROVIDER_ERROR',
  INVALID_ELEMENT_CONFIGURATION: 'PROVIDER_ERROR',
  INVALID_ELEMENT_TYPE: 'PROVIDER_ERROR',
  INVALID_REQUEST: 'PROVIDER_ERROR',
  UNEXPECTED_INPUT: 'PROVIDER_ERROR',
  RESOURCE_INACCESSIBLE: 'PROVIDER_ERROR',
  UNABLE_TO_ALLOCATE_RESOURCE: 'PROVIDER_ERROR',
  UNVERIFIED_PEER: 'PROVIDER_ERROR',
  ERROR: 'PROVIDER_ERROR',
  INTERNAL_SERVER_ERROR: 'PROVIDER_ERROR',
}

/** Only for bodies without a type. */
function byStatus(status: number): ErrorCode {
  if (status === 401) return 'AUTH_FAILED'
  if (status === 403) return 'PERMISSION_DENIED'
  if (status === 404) return 'NOT_FOUND'
  if (status === 503) return 'PROVIDER_UNAVAILABLE'
  if (status === 504) return 'TIMEOUT'
  return 'PROVIDER_ERROR'
}

/** The contract error for a fault; the server's own message is kept, the type and id go in detail. */
export function faultError(f: VsphereFault, options: { guest?: boolean } = {}): PortholeError {
  let code: ErrorCode = f.type !== undefined ? (BY_TYPE[f.type] ?? 'PROVIDER_ERROR') : byStatus(f.status)
  if (f.messageId === TOOLS_NOT_RUNNING_ID) code = 'TOOLS_NOT_RUNNING'
  // On guest operations 503 means the Tools are not running (reference §5), whatever the message
  // id; only the API front end's own "service unavailable" stays a server problem.
  if (options.guest && f.type === 'SERVICE_UNAVAILABLE' && !f.messageId?.startsWith('com.vmware.vapi.endpoint.')) code = 'TOOLS_NOT_RUNNING'
  if (code === 'AUTH_FAILED' && options.guest && isSessionFault(f) !== 'session') code = 'GUEST_AUTH_FAILED'
  const retryable = f.type === 'RESOURCE_BUSY' || code === 'PROVIDER_UNAVAILABLE' || code === 'TIMEOUT'
  const detail: Record<string, unknown> = { status: f.status }
  if (f.type !== undefined) detail.vsphereType = f.type
  if (f.messageId !== undefined) detail.messageId = f.messageId
  const text = f.message ?? `vCenter answered HTTP ${f.status}${f.type ? ` ${f.type}` : ''}.`
  return new PortholeError(code, text, { detail, retryable })
}
