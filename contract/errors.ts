import { z } from 'zod'

/** Every error that crosses the process boundary carries one of these codes. */
export const ErrorCode = z.enum([
  'INVALID_INPUT',
  'INTERNAL',
  'NOT_FOUND',
  'VAULT_LOCKED',
  'VAULT_DAMAGED',
  'VAULT_EXISTS',
  'AUTH_FAILED',
  /** The guest OS refused the guest credentials (the provider session itself is fine): ask for them again. */
  'GUEST_AUTH_FAILED',
  'RATE_LIMITED',
  'TLS_UNTRUSTED',
  'VM_STATE',
  'TOOLS_NOT_RUNNING',
  'UNSUPPORTED',
  'PROVIDER_UNAVAILABLE',
  'PROVIDER_ERROR',
  'CONFLICT',
  'TIMEOUT',
  'CANCELLED',
  'DISK_FULL',
  'PERMISSION_DENIED',
  'FORBIDDEN_SENDER',
  /** A file the user gave (a Porthole export) is malformed or was modified. */
  'FILE_DAMAGED',
])
export type ErrorCode = z.infer<typeof ErrorCode>

/** Codes for which trying again later may succeed without the user changing anything. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PROVIDER_UNAVAILABLE',
  'TIMEOUT',
  'RATE_LIMITED',
])

export const WireError = z.object({
  code: ErrorCode,
  message: z.string(),
  detail: z.record(z.string(), z.unknown()).optional(),
  retryable: z.boolean(),
})
export type WireError = z.infer<typeof WireError>

/** The one error type services throw; `serve` turns it into a WireError as is. */
export class PortholeError extends Error {
  readonly code: ErrorCode
  readonly detail: Record<string, unknown> | undefined
  readonly retryable: boolean

  constructor(
    code: ErrorCode,
    message: string,
    options: { detail?: Record<string, unknown>; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause })
    this.name = 'PortholeError'
    this.code = code
    this.detail = options.detail
    this.retryable = options.retryable ?? RETRYABLE.has(code)
  }

  toWire(): WireError {
    const wire: WireError = { code: this.code, message: this.message, retryable: this.retryable }
    if (this.detail !== undefined) wire.detail = this.detail
    return wire
  }

  static fromWire(wire: WireError): PortholeError {
    return new PortholeError(wire.code, wire.message, {
      ...(wire.detail !== undefined ? { detail: wire.detail } : {}),
      retryable: wire.retryable,
    })
  }
}

export function isPortholeError(value: unknown): value is PortholeError {
  return value instanceof PortholeError
}
