// ZStack failures → contract errors (reference §7). A failed API is 503 with `{"error": {code,
// description, details, cause…}}`; the HTTP layer's own errors are plain text with 4xx/5xx; a
// reverse proxy may add its own pages. Decided by the ZStack code (and, for the generic
// SYS.1006/SYS.1000, by the cause's code), never by status alone; the server's own words are kept.
import { z } from 'zod'
import { PortholeError, type ErrorCode } from '../../../../contract/errors'

interface ErrorBody {
  code?: string | undefined
  description?: string | undefined
  details?: string | undefined
  cause?: ErrorBody | undefined
}
const ErrorBody: z.ZodType<ErrorBody> = z.lazy(() =>
  z.looseObject({
    code: z.string().optional(),
    description: z.string().optional(),
    details: z.string().optional(),
    cause: ErrorBody.optional(),
  }),
)
const Envelope = z.looseObject({ error: ErrorBody })

/** What a ZStack failure says, whichever layer produced it. */
export interface ZstackFault {
  status: number
  /** `ID.1001`, `SYS.1006`…, when the body is a ZStack error. */
  code: string | undefined
  description: string | undefined
  details: string | undefined
  /** Codes of the nested causes, outermost first. */
  causes: string[]
  /** Details of the first cause that has some, for a generic outer error without its own. */
  causeDetails: string | undefined
  /** A plain-text body (HTTP-layer error), trimmed and shortened. */
  text: string | undefined
}

/** Reads a failed answer: the JSON error object, or the HTTP layer's plain text. */
export function parseFault(status: number, body: string): ZstackFault {
  let json: unknown
  try {
    json = body ? JSON.parse(body) : undefined
  } catch {
    json = undefined
  }
  const env = Envelope.safeParse(json)
  if (!env.success) {
    const text = body.trim().slice(0, 500)
    return { status, code: undefined, description: undefined, details: undefined, causes: [], causeDetails: undefined, text: text || undefined }
  }
  const e = env.data.error
  const causes: string[] = []
  let causeDetails: string | undefined
  for (let c = e.cause, depth = 0; c && depth < 8; c = c.cause, depth++) {
    if (c.code) causes.push(c.code)
    causeDetails ??= c.details
  }
  return { status, code: e.code, description: e.description, details: e.details, causes, causeDetails, text: undefined }
}

/** The session is missing or expired: log in again (once) and retry. */
export function isSessionExpired(f: ZstackFault): boolean {
  return f.code === 'ID.1001'
}

const BY_CODE: Record<string, ErrorCode> = {
  'ID.1000': 'AUTH_FAILED',
  'ID.1001': 'AUTH_FAILED',
  'ID.1002': 'PERMISSION_DENIED',
  'ID.1005': 'AUTH_FAILED',
  'ID.1006': 'RATE_LIMITED',
  'ID.2001': 'UNSUPPORTED',
  'ID.2002': 'UNSUPPORTED',
  'SYS.1001': 'TIMEOUT',
  'SYS.1003': 'NOT_FOUND',
  'SYS.1007': 'PROVIDER_ERROR',
  'SYS.1010': 'PROVIDER_UNAVAILABLE',
  'SYS.1012': 'PROVIDER_UNAVAILABLE',
  'SYS.1014': 'UNSUPPORTED',
  'VM.1010': 'VM_STATE',
}
/** Codes that say only "something failed": the cause says what. */
const GENERIC = new Set(['SYS.1000', 'SYS.1006'])

/** Statuses of bodies that are not ZStack errors (HTTP layer, reverse proxies). */
function byStatus(f: ZstackFault): ErrorCode {
  if (f.status === 404) return f.text?.startsWith('no api mapping') ? 'UNSUPPORTED' : 'NOT_FOUND'
  if (f.status === 403) return 'PERMISSION_DENIED'
  if (f.status === 405) return 'UNSUPPORTED'
  if (f.status === 429) return 'RATE_LIMITED'
  if (f.status === 502 || f.status === 503) return 'PROVIDER_UNAVAILABLE'
  if (f.status === 504) return 'TIMEOUT'
  return 'PROVIDER_ERROR'
}

function codeOf(f: ZstackFault): ErrorCode {
  if (f.code === undefined) return byStatus(f)
  let code = BY_CODE[f.code] ?? 'PROVIDER_ERROR'
  if (GENERIC.has(f.code) || code === 'PROVIDER_ERROR') {
    const specific = f.causes.map((c) => BY_CODE[c]).find((c) => c !== undefined)
    if (specific) code = specific
    // Interceptors say "is not in state of [...]" without a VM.1010 cause (console access).
    else if (f.code === 'SYS.1006' && /is not in state of|doesn't allow to proceed/.test(f.details ?? '')) code = 'VM_STATE'
  }
  return code
}

const HINTS: Partial<Record<string, string>> = {
  'ID.1005': ' Change the initial password in the ZStack web UI first.',
  'ID.1006': ' Log out other sessions of this account, or wait for them to expire.',
  'ID.2001': ' Two-factor login is not supported yet.',
  'ID.2002': ' Two-factor login is not supported yet.',
}

/** The contract error for a fault: ZStack's details (else description, else the text) as the message, codes in detail. */
export function faultError(f: ZstackFault): PortholeError {
  const code = codeOf(f)
  const detail: Record<string, unknown> = { status: f.status }
  if (f.code !== undefined) detail.zstackCode = f.code
  if (f.description !== undefined) detail.description = f.description
  if (f.causes.length > 0) detail.causes = f.causes
  const base =
    f.details ?? f.causeDetails ?? f.description ?? (f.text !== undefined ? `ZStack answered HTTP ${f.status}: ${f.text}` : `ZStack answered HTTP ${f.status}.`)
  const message = `${base}${f.code !== undefined ? (HINTS[f.code] ?? '') : ''}`
  const retryable = code === 'PROVIDER_UNAVAILABLE' || code === 'TIMEOUT'
  return new PortholeError(code, message, { detail, retryable })
}
