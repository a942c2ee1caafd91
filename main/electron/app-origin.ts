/**
 * Where the renderer comes from. In production it is served by our own privileged scheme
 * (`app://porthole/`), never from `file://`, so the page has a real origin that IPC and the
 * window guards can check. In development electron-vite's dev server serves it on loopback.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'porthole'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/**
 * `scheme://host[:port]` of a URL, or null when it has none. Node's URL reports the origin
 * of a non-special scheme such as `app:` as the opaque "null", so it is built by hand here.
 */
export function originOf(url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.host === '') return null
  return `${parsed.protocol}//${parsed.host}`
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

export interface RendererLocation {
  /** What the window loads. */
  url: string
  /** The one origin allowed to call main and to be navigated to. */
  origin: string
  dev: boolean
}

/**
 * The dev server URL is honoured only in an unpackaged app and only on loopback: a packaged
 * app that obeyed an environment variable would load any page an attacker names, with the
 * preload's API attached.
 */
export function rendererLocation(isPackaged: boolean, devServerUrl: string | undefined): RendererLocation {
  if (!isPackaged && devServerUrl) {
    const parsed = new URL(devServerUrl)
    if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && LOOPBACK_HOSTS.has(parsed.hostname)) {
      return { url: parsed.href, origin: `${parsed.protocol}//${parsed.host}`, dev: true }
    }
    throw new Error(`ELECTRON_RENDERER_URL must be a loopback http(s) URL, got ${parsed.protocol}//${parsed.host}`)
  }
  return { url: APP_ENTRY_URL, origin: APP_ORIGIN, dev: false }
}
