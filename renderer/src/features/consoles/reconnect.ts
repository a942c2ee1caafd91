// When a console drops, the tab asks for a new ticket (tickets are single use) and tries again:
// exponential backoff with jitter, at most MAX_RECONNECTS tries, each one counted down on screen.
// Failures that another try cannot fix (a refused password, an untrusted certificate, a VM that
// is off) stop at once and say why.
import type { ErrorCode } from '../../../../contract/errors'

export const MAX_RECONNECTS = 5
const BASE_MS = 1000
const CAP_MS = 30_000

/** The wait before try `attempt` (1-based): 1 s, 2 s, 4 s, 8 s, 16 s (capped at 30 s), each between half and all of that. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

/** Codes a retry cannot fix without the user. */
const FINAL: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'AUTH_FAILED',
  'TLS_UNTRUSTED',
  'VM_STATE',
  'UNSUPPORTED',
  'NOT_FOUND',
  'VAULT_LOCKED',
  'INVALID_INPUT',
  'PERMISSION_DENIED',
  'CANCELLED',
])

/** Whether to try again after a failure with this code (undefined: the connection just dropped). */
export function worthRetrying(code: ErrorCode | undefined): boolean {
  return code === undefined || !FINAL.has(code)
}

/** A closed session's reason, as the tab says it to the user. */
export function closeReasonText(status: { reason?: string | undefined; closedBy?: string | undefined; error?: { code: ErrorCode; message: string } | undefined } | undefined): string {
  if (!status) return 'The connection to the console was lost.'
  const { error, reason = '' } = status
  const message = error?.message ?? ''
  switch (error?.code) {
    case 'TLS_UNTRUSTED':
      // A pinned certificate that changed is no "not trusted yet" (the doctor shows both fingerprints).
      return /not the one you trusted/.test(message)
        ? 'The console host presented another certificate than the one you trusted.'
        : 'The console host presented a certificate Porthole does not trust yet.'
    case 'AUTH_FAILED':
      // The handshake's own message usually says this already ("the console refused the password: …").
      return `The console refused the password${message ? `: ${message.replace(/^the console refused the password:\s*/i, '')}` : '.'}`
    case 'TIMEOUT':
      return 'The console did not answer in time.'
    case 'PROVIDER_UNAVAILABLE':
      return /ECONNREFUSED/.test(message) ? 'The console is not reachable: nothing answers at its address (connection refused).' : `The console went away: ${message.replace(/^could not reach the console: /, '')}.`
    case undefined:
      break
    default:
      // The relay's own words ("the console asks for security types…") as a sentence; a provider's as they are.
      return /^the /.test(message) ? `The ${message.slice(4)}${message.endsWith('.') ? '' : '.'}` : message
  }
  if (status.closedBy === 'upstream') return 'The console closed the connection (the VM may have restarted or powered off).'
  if (status.closedBy === 'expired') return 'The console link expired before it was used.'
  if (/vault/.test(reason)) return 'Closed because the vault was locked.'
  return reason ? `${reason[0]!.toUpperCase()}${reason.slice(1)}.` : 'The connection to the console was lost.'
}
