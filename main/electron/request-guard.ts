import type { WebRequest } from 'electron'
import type { Log } from '../services/log/log'
import { originOf } from './app-origin'

/** Schemes that never leave the machine. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'devtools:', 'about:'])

/**
 * Whether the app's session may make this request: the app's own origin, the console relay
 * (ws on 127.0.0.1), local schemes, and in development the dev server's HMR socket. Nothing
 * else — no internet, no file: — so even a compromised renderer, which can ignore its own CSP,
 * has nowhere to send what it sees. Services talk to providers with undici, outside the session.
 */
export function requestAllowed(url: string, appOrigin: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (LOCAL_SCHEMES.has(parsed.protocol)) return true
  if (originOf(url) === appOrigin) return true
  if (parsed.protocol === 'ws:' && parsed.hostname === '127.0.0.1') return true
  const app = new URL(appOrigin)
  if (app.protocol === 'http:' && parsed.protocol === 'ws:' && parsed.host === app.host) return true
  if (app.protocol === 'https:' && parsed.protocol === 'wss:' && parsed.host === app.host) return true
  return false
}

/** Cancels every request of the session that requestAllowed refuses, and logs where it was going (origin only). */
export function restrictRequests(webRequest: Pick<WebRequest, 'onBeforeRequest'>, appOrigin: string, log: Log): void {
  webRequest.onBeforeRequest((details, callback) => {
    const allowed = requestAllowed(details.url, appOrigin)
    if (!allowed) log.warn('request blocked', { to: originOf(details.url) ?? details.url.slice(0, details.url.indexOf(':') + 1), type: details.resourceType })
    callback({ cancel: !allowed })
  })
}
