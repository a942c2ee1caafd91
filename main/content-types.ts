import path from 'node:path'

/**
 * The renderer's files by extension, one table for Electron's app:// protocol and the browser
 * harness, so both serve the same bytes with the same types (with nosniff, a wrong type breaks
 * the page).
 */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
}

/** The Content-Type to serve a renderer file with; unknown extensions are plain bytes. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream'
}
