// How the OpenStack lab writes answers (reference openstack.md §1.3, §6 and "Read this first"
// 2, 3, 8, 10): Keystone's `{"error": …}`, Nova's one-key faults, the router's three-key 404,
// microversion headers, request ids, and always a Content-Length.
import crypto from 'node:crypto'
import type { ServerResponse } from 'node:http'

export type Headers = Record<string, string>

export function requestId(): string {
  return `req-${crypto.randomUUID()}`
}

/** Writes a JSON (or empty) answer with an exact Content-Length. */
export function send(res: ServerResponse, status: number, body: unknown, headers: Headers = {}, contentType = 'application/json'): void {
  const text = body === undefined ? '' : JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

/** An error a handler throws; the server writes it in the shape it names. */
export class LabHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Headers = {},
    readonly contentType = 'application/json',
  ) {
    super(`HTTP ${status}`)
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  500: 'Internal Server Error',
}

/** Keystone's (and keystonemiddleware's) error body. */
export function keystoneError(status: number, message: string, extra: Record<string, unknown> = {}, headers: Headers = {}): LabHttpError {
  return new LabHttpError(status, { error: { code: status, title: TITLES[status] ?? 'Error', message, ...extra } }, headers)
}

/** keystonemiddleware's 401 for a missing, expired or revoked token, as Nova returns it. */
export function tokenRefused(keystoneUri: string): LabHttpError {
  return keystoneError(401, 'The request you have made requires authentication.', {}, { 'WWW-Authenticate': `Keystone uri="${keystoneUri}"` })
}

const FAULT_NAMES: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
}

/** A Nova fault (nova/api/openstack/wsgi.py `Fault`): one key named for the status. */
export function novaFault(status: number, message: string, extra: Record<string, unknown> = {}): LabHttpError {
  const name = FAULT_NAMES[status] ?? 'computeFault'
  return new LabHttpError(status, { [name]: { code: status, message, ...extra } }, {}, 'application/json; charset=UTF-8')
}

/** The router's 404 for an unknown path: three keys, `code` a string, no microversion headers. */
export function routerNotFound(): LabHttpError {
  return new LabHttpError(404, { message: 'The resource could not be found.<br /><br />\n\n\n', code: '404 Not Found', title: 'Not Found' })
}

/**
 * The headers every answer of the versioned compute API carries, spelled as Nova (webob)
 * sends them ("Read this first" 2): a client must compare header names case-insensitively.
 */
export function microversionHeaders(version: string): Headers {
  return {
    'Openstack-Api-Version': `compute ${version}`,
    'X-Openstack-Nova-Api-Version': version,
    Vary: 'OpenStack-API-Version, X-OpenStack-Nova-API-Version',
  }
}

/** Keystone-style timestamp: microseconds and Z. */
export function keystoneTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')
}
