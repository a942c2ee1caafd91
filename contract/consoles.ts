// Consoles (DESIGN.md "Consoles"): the renderer asks main to open a VM's console; main fetches a
// fresh ticket from the provider, registers a one-time session with the console relay and hands
// back only a loopback URL and a handle. Tickets, VNC passwords and provider URLs stay in main.
import { z } from 'zod'
import { call, event } from './define'
import { WireError } from './errors'
import { VmRef } from './inventory'

/**
 * What kind of console: 'rfb' (graphical, noVNC), 'serial' (text, xterm.js), 'vmrc' (handed to
 * VMware Remote Console outside Porthole; the desktop app only).
 */
export const ConsoleKind = z.enum(['rfb', 'serial', 'vmrc'])
export type ConsoleKind = z.infer<typeof ConsoleKind>

/** A relay session's public id: names a session for status and close; it cannot open anything. */
export const ConsoleHandle = z.string().regex(/^[A-Za-z0-9_-]{16}$/)

/** An embedded console: a one-time `ws://127.0.0.1:<port>/relay/<id>` and the handle of its session. */
export const EmbeddedConsole = z.strictObject({
  protocol: z.enum(['rfb', 'serial']),
  relayUrl: z.string().regex(/^ws:\/\/127\.0\.0\.1:\d{1,5}\/relay\/[A-Za-z0-9_-]{43}$/),
  handle: ConsoleHandle,
})
export type EmbeddedConsole = z.infer<typeof EmbeddedConsole>

/** VMRC was launched outside Porthole: nothing to embed. */
export const ExternalConsole = z.strictObject({ protocol: z.literal('vmrc'), launched: z.literal(true) })

/** The steps a console goes through, in order: what the connection doctor names when one fails. */
export const ConsoleStep = z.enum(['ticket', 'network', 'tls', 'websocket', 'rfb', 'session'])
export type ConsoleStep = z.infer<typeof ConsoleStep>

/** What went wrong, one of the causes the doctor tells apart. */
export const ConsoleCause = z.enum([
  'ticket-refused',
  'vm-off',
  'dns',
  'unreachable',
  'port-closed',
  'certificate',
  'websocket-refused',
  'subprotocol',
  'rfb-version',
  'rfb-security',
  'vnc-password',
  'timeout',
  'idle',
  'upstream-closed',
  'unknown',
])
export type ConsoleCause = z.infer<typeof ConsoleCause>

/** The connection doctor's finding: which step failed, in the user's words, and what to do. */
export const ConsoleDiagnosis = z.strictObject({
  step: ConsoleStep,
  cause: ConsoleCause,
  title: z.string().max(300),
  advice: z.string().max(1000),
  /** The technical detail (no tickets, tokens or passwords). */
  detail: z.string().max(1000).optional(),
})
export type ConsoleDiagnosis = z.infer<typeof ConsoleDiagnosis>

/** One step's timing: how long it took from the start of the attempt, and whether it passed. */
export const ConsoleTiming = z.strictObject({ step: ConsoleStep, ms: z.number().nonnegative(), ok: z.boolean() })
export type ConsoleTiming = z.infer<typeof ConsoleTiming>

export const ConsoleState = z.enum(['waiting', 'connecting', 'open', 'closed'])
export type ConsoleState = z.infer<typeof ConsoleState>

/** A console session's state as a tab shows it. */
export const ConsoleStatus = z.strictObject({
  handle: ConsoleHandle,
  state: ConsoleState,
  /** Bytes from the console to the tab, and from the tab to the console. */
  bytesToRenderer: z.number().int().nonnegative(),
  bytesFromRenderer: z.number().int().nonnegative(),
  /** Why it closed, in words a tab can show. */
  reason: z.string().max(1000).optional(),
  closedBy: z.enum(['renderer', 'upstream', 'expired', 'relay']).optional(),
  /** Set when it failed: TIMEOUT, AUTH_FAILED, TLS_UNTRUSTED (with the certificate, for the trust prompt), PROVIDER_UNAVAILABLE… */
  error: WireError.optional(),
  /** The steps this session passed (and the one that failed), with their times. */
  timings: z.array(ConsoleTiming).max(20).optional(),
  /** When it failed or dropped: the doctor's finding. */
  diagnosis: ConsoleDiagnosis.optional(),
})
export type ConsoleStatus = z.infer<typeof ConsoleStatus>

const ByHandle = z.strictObject({ handle: ConsoleHandle })

export const consoleCalls = {
  'console.open': call(
    'Fetch a fresh ticket for the VM and register a one-time relay session: `{protocol, relayUrl, handle}`. For vmrc, launch VMware Remote Console (desktop app only; UNSUPPORTED in the browser).',
    z.strictObject({ ref: VmRef, kind: ConsoleKind }),
    z.discriminatedUnion('protocol', [EmbeddedConsole, ExternalConsole]),
  ),
  'console.close': call('Close a console session (both sides), e.g. when its tab closes.', ByHandle, z.strictObject({ ok: z.literal(true) })),
  'console.status': call('The current status of a console session.', ByHandle, ConsoleStatus),
  'console.detach': call(
    'Open the VM\'s console in a window of its own (a new session with a new ticket; the caller closes its tab). Desktop app only: UNSUPPORTED in the browser.',
    z.strictObject({ ref: VmRef, kind: z.enum(['rfb', 'serial']), title: z.string().max(300) }),
    z.strictObject({ ok: z.literal(true) }),
  ),
}

export const consoleEvents = {
  'console.state': event('A console session changed state (waiting, connecting, open, closed with its reason).', ConsoleStatus),
}
