// A detached console window (desktop app): main opens a window on the app's own page with
// `#console=<base64url JSON>` naming the VM and the console; that window shows only the console,
// which opens a session of its own with a fresh ticket (a relay URL works once, and a live
// noVNC connection cannot move between windows).
import { z } from 'zod'
import { ProviderKind, VmRef } from '../../../../contract/inventory'
import type { ConsoleTabParams } from './ConsoleTab'

const Detached = z.strictObject({
  ref: VmRef,
  protocol: z.enum(['rfb', 'serial']),
  name: z.string().max(300),
  provider: ProviderKind,
})

/** The console a detached window shows, from its location; undefined for the main window. */
export function detachedConsole(hash: string): ConsoleTabParams | undefined {
  const m = /^#console=([A-Za-z0-9_-]{1,4000})$/.exec(hash)
  if (!m) return undefined
  try {
    const json = atob(m[1]!.replace(/-/g, '+').replace(/_/g, '/'))
    const parsed = Detached.safeParse(JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
