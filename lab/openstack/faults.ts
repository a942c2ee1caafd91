// The OpenStack lab's fault knobs. Set at start (factory options, or the PORTHOLE_OPENSTACK_FAULTS
// JSON variable for `npm run lab`) and at runtime with `POST /lab/faults`.
import { z } from 'zod'

/** A Nova microversion as `2.N`. */
export const Microversion = z.string().regex(/^2\.(0|[1-9][0-9]{0,2})$/, 'a microversion such as 2.93')

export const ConsoleType = z.enum(['novnc', 'xvpvnc', 'spice-html5', 'serial', 'rdp-html5', 'webmks', 'spice-direct'])
export type ConsoleType = z.infer<typeof ConsoleType>

export const Faults = z.strictObject({
  /** Delay before every Keystone and Nova answer (not /lab, not the console proxies). */
  latencyMs: z.number().int().min(0).max(600_000),
  /** Fraction of Nova calls answered 503 serviceUnavailable; drawn from the seed. */
  errorRate: z.number().min(0).max(1),
  /** Lifetime of a new Keystone token (expires_at = issued + this). */
  tokenExpirySeconds: z.number().int().min(1).max(86_400),
  /** Fraction of servers SHUTOFF; changing it at runtime re-derives every settled server's state. */
  poweredOffFraction: z.number().min(0).max(1),
  /** The compute API's maximum microversion ("legacy" clouds: 2.5, Kilo 2.3, Zed 2.93). */
  maxMicroversion: Microversion,
  /** How long start/stop/reboot keep their task_state before the status changes. */
  actionDelayMs: z.number().int().min(0).max(600_000),
  /** Console types the virt driver offers; others answer 501 notImplemented (xvpvnc and rdp are always 400). */
  consoleTypes: z.array(ConsoleType),
  /** How long a console token works (Nova's [consoleauth] token_ttl). */
  consoleTokenTtlSeconds: z.number().int().min(1).max(86_400),
  /** `remote-consoles` answers 403 as Nova does when policy denies this project's users consoles. */
  consoleForbidden: z.boolean(),
  /** Every console token is this one (a known canary for leak tests); null = a new UUID each time. */
  consoleToken: z.string().regex(/^[0-9A-Za-z-]{8,64}$/).nullable(),
  /** The console proxies answer every upgrade with this HTTP status (a proxy in front refusing); null = serve. */
  consoleProxyStatus: z.number().int().min(400).max(599).nullable(),
  /** The console proxies accept with this subprotocol whatever was offered; null = `binary`, as asked. */
  consoleProxySubprotocol: z.string().regex(/^[0-9A-Za-z._-]{1,64}$/).nullable(),
})
export type Faults = z.infer<typeof Faults>

export const DEFAULT_FAULTS: Faults = {
  latencyMs: 0,
  errorRate: 0,
  tokenExpirySeconds: 3600,
  poweredOffFraction: 0.2,
  maxMicroversion: '2.100',
  actionDelayMs: 300,
  consoleTypes: ['novnc', 'spice-html5', 'serial'],
  consoleTokenTtlSeconds: 600,
  consoleForbidden: false,
  consoleToken: null,
  consoleProxyStatus: null,
  consoleProxySubprotocol: null,
}

/** A runtime change: any knob, plus one-off actions. */
export const FaultsPatch = Faults.partial().extend({
  /** Generate a new certificate and serve it from now on (API and console proxies, new connections). */
  rotateCertificate: z.literal(true).optional(),
  /** Revoke every Keystone token now (as if they had all expired). */
  expireTokens: z.literal(true).optional(),
})
export type FaultsPatch = z.infer<typeof FaultsPatch>

/** Per-server knobs for `POST /lab/servers/{id}`. */
export const ServerPatch = z.strictObject({
  status: z.enum(['ACTIVE', 'SHUTOFF', 'SUSPENDED', 'PAUSED', 'BUILD', 'ERROR', 'SHELVED_OFFLOADED']).optional(),
  locked: z.boolean().optional(),
})
export type ServerPatch = z.infer<typeof ServerPatch>
