// The connection doctor: turns why a console failed (an error from opening the upstream, the RFB
// handshake, the relay's timers, or the upstream closing) into the step that failed, in the
// user's words, with what to do. Pure (no DOM, no Node): the relay and the console tab call it.
import type { ConsoleCause, ConsoleDiagnosis, ConsoleStep } from './consoles'
import type { WireError } from './errors'

/** What the doctor is told about a failure. */
export interface FailureFacts {
  /** The PortholeError code, when there is one (TLS_UNTRUSTED, AUTH_FAILED, TIMEOUT…). */
  code?: string | undefined
  message: string
  /** The error's detail (TLS_UNTRUSTED: the certificate and the pinned fingerprint). */
  detail?: unknown
  /** Where it happened: opening the upstream, the relay's RFB handshake, or after the session was open. */
  phase: 'ticket' | 'upstream' | 'handshake' | 'session' | 'expired'
}

interface Finding {
  step: ConsoleStep
  cause: ConsoleCause
  title: string
  advice: string
}

const FINDINGS: Record<ConsoleCause, Finding> = {
  'ticket-refused': { step: 'ticket', cause: 'ticket-refused', title: 'The provider refused a console ticket', advice: 'Check that your account may open this VM’s console, then reconnect.' },
  'vm-off': { step: 'ticket', cause: 'vm-off', title: 'The VM is powered off or suspended', advice: 'Power the VM on (or resume it), then reconnect.' },
  dns: { step: 'network', cause: 'dns', title: 'The console’s host name was not found', advice: 'Check the host name and your DNS (VPN connected?); an ESXi host must be resolvable from this computer.' },
  unreachable: { step: 'network', cause: 'unreachable', title: 'The console’s host cannot be reached', advice: 'Check the network path to the host (VPN, firewall, routing), then reconnect.' },
  'port-closed': { step: 'network', cause: 'port-closed', title: 'Nothing answers on the console’s port', advice: 'The host is up but refuses the connection: check the port, and that the VM’s VNC server (or the console proxy) runs.' },
  certificate: { step: 'tls', cause: 'certificate', title: 'The console host’s certificate changed', advice: 'Compare the fingerprints with your administrator; trust the new certificate only if the change is expected.' },
  'websocket-refused': { step: 'websocket', cause: 'websocket-refused', title: 'The console proxy refused the connection', advice: 'The ticket may have expired or been used already: reconnect for a new one. If it keeps failing, check the console proxy.' },
  subprotocol: { step: 'websocket', cause: 'subprotocol', title: 'The console proxy does not speak the expected protocol', advice: 'The proxy answered with another WebSocket subprotocol: check that the endpoint is the VM console proxy (and its version).' },
  'rfb-version': { step: 'rfb', cause: 'rfb-version', title: 'The console does not speak VNC (RFB)', advice: 'The port answers something else: check the port number (VNC is usually 5900 + display).' },
  'rfb-security': { step: 'rfb', cause: 'rfb-security', title: 'The console asks for a login Porthole does not speak', advice: 'Set the VNC server to VNC Authentication or None (no TLS/VeNCrypt-only, no RA2).' },
  'vnc-password': { step: 'rfb', cause: 'vnc-password', title: 'The VNC password is wrong', advice: 'Edit the connection and enter the VM’s VNC password (only the first 8 characters count).' },
  timeout: { step: 'network', cause: 'timeout', title: 'The console did not answer in time', advice: 'The host is slow or a firewall drops the connection silently: check the network, then reconnect.' },
  idle: { step: 'session', cause: 'idle', title: 'The console link expired unused', advice: 'A console link works for 30 seconds: reconnect for a new one.' },
  'upstream-closed': { step: 'session', cause: 'upstream-closed', title: 'The console closed the connection', advice: 'The VM was powered off, migrated or reset, or another client took over: reconnect.' },
  unknown: { step: 'session', cause: 'unknown', title: 'The console failed', advice: 'Reconnect; if it keeps failing, copy the diagnostics for your administrator.' },
}

/** Removes what must never be shown or copied: URL queries and paths after /ticket/, long opaque tokens, passwords. */
export function scrubSecrets(text: string): string {
  return text
    .replace(/(wss?|https?|tcp):\/\/[^\s'"]+/gi, (url) => url.replace(/\?.*$/, '?…').replace(/\/ticket\/[^/?\s]+/i, '/ticket/…'))
    .replace(/((?:token|ticket|password|passwd|secret|sessionid|vmware_soap_session)=)[^\s&'",;]+/gi, '$1…')
    // URL-encoded (a noVNC page URL's `path=%3Ftoken%3D…`) and the providers' token headers.
    .replace(/((?:token|ticket|password)%3D)[^\s&%'",;]+/gi, '$1…')
    .replace(/((?:x-auth-token|x-subject-token|vmware-api-session-id|authorization):\s*(?:Bearer\s+|Basic\s+)?)[^\s'",;]+/gi, '$1…')
    .replace(/\b[A-Za-z0-9+/_-]{24,}={0,2}/g, '…')
}

function causeOf(f: FailureFacts): ConsoleCause {
  const m = f.message
  if (f.phase === 'expired') return 'idle'
  // vCenter "it is POWERED_OFF", Nova "SHUTOFF", ZStack "current state is Stopped".
  if (f.phase === 'ticket') return /powered.?off|suspended|not running|SHUTOFF|PAUSED|\bstopped\b/i.test(m) ? 'vm-off' : 'ticket-refused'
  if (f.code === 'TLS_UNTRUSTED') return 'certificate'
  if (f.code === 'AUTH_FAILED') return 'vnc-password'
  if (f.code === 'TIMEOUT') return 'timeout'
  if (/ENOTFOUND|EAI_AGAIN|EAI_NONAME|getaddrinfo/i.test(m)) return 'dns'
  if (/ECONNREFUSED/.test(m)) return 'port-closed'
  if (/EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ETIMEDOUT|ENETDOWN/.test(m)) return 'unreachable'
  if (/subprotocol/i.test(m)) return 'subprotocol'
  if (/answered HTTP|Unexpected server response/i.test(m)) return 'websocket-refused'
  // The relay's own handshake, or noVNC's words when the tab spoke RFB itself (no password in main).
  if (/does not speak RFB|Invalid server version/i.test(m)) return 'rfb-version'
  if (/security type|Unsupported auth scheme|No supported sub-auth|Security negotiation failed/i.test(m)) return 'rfb-security'
  if (/refused the password/i.test(m)) return 'vnc-password'
  if (f.phase === 'session') return 'upstream-closed'
  return 'unknown'
}

function certificateDetail(detail: unknown): string | undefined {
  if (typeof detail !== 'object' || detail === null) return undefined
  const d = detail as { fingerprint256?: unknown; pinnedFingerprint256?: unknown; host?: unknown; port?: unknown; reason?: unknown }
  if (typeof d.fingerprint256 !== 'string') return undefined
  const where = typeof d.host === 'string' ? `${d.host}${typeof d.port === 'number' ? `:${d.port}` : ''}: ` : ''
  return typeof d.pinnedFingerprint256 === 'string'
    ? `${where}trusted before SHA-256 ${d.pinnedFingerprint256}; presented now SHA-256 ${d.fingerprint256}`
    : `${where}presented SHA-256 ${d.fingerprint256} (${typeof d.reason === 'string' ? d.reason : 'not trusted'})`
}

/** The doctor's finding for a failure. */
export function diagnose(f: FailureFacts): ConsoleDiagnosis {
  const cause = causeOf(f)
  const finding = FINDINGS[cause]
  const title = cause === 'certificate' && (f.detail as { reason?: unknown } | undefined)?.reason !== 'changed' ? 'The console host’s certificate is not trusted' : finding.title
  const detail = (cause === 'certificate' ? certificateDetail(f.detail) : undefined) ?? scrubSecrets(f.message).slice(0, 1000)
  return { step: finding.step, cause, title, advice: finding.advice, ...(detail ? { detail } : {}) }
}

/** The doctor's finding for an error already on the wire (e.g. a failed console.open). */
export function diagnoseWire(error: WireError, phase: FailureFacts['phase']): ConsoleDiagnosis {
  return diagnose({ code: error.code, message: error.message, detail: error.detail, phase })
}
