/**
 * The renderer's Content Security Policy, one string for Electron and the browser harness.
 * No remote anything: scripts and styles come from the app itself, sockets only from loopback
 * (the host and the console relay). `blob:`/`data:` images are console screenshots and icons.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' ws://127.0.0.1:*",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ')
