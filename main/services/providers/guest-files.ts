// Guest file operations beyond listing (vSphere today): one file's attributes and a one-shot
// download URL. A provider that has them exposes `guestFiles`; the files and downloads services
// find them with `guestFileOpsOf`.
import type { GuestCredentials } from './provider'

export type { GuestCredentials }

/** One guest file's attributes (reference §6.2), as far as the guest tells them. */
export interface GuestFileInfo {
  type: 'file' | 'directory' | 'symlink'
  size: number
  /** ISO 8601. */
  modified?: string
  target?: string
  /** POSIX permissions, octal ('644'). */
  permissions?: string
  hidden?: boolean
  readOnly?: boolean
}

/** A download URL exactly as the server gave it (host may be `*`) and the URL of the API that was called. */
export interface GuestDownloadUrl {
  url: string
  calledUrl: string
}

export interface GuestFileOps {
  fileInfo(vmId: string, credentials: GuestCredentials, path: string, signal: AbortSignal): Promise<GuestFileInfo>
  /** A fresh one-shot URL for one file (valid 10 minutes, one GET). */
  downloadUrl(vmId: string, credentials: GuestCredentials, path: string, signal: AbortSignal): Promise<GuestDownloadUrl>
}

/** The provider's guest file operations, if it has them. */
export function guestFileOpsOf(provider: object): GuestFileOps | undefined {
  const ops = (provider as { guestFiles?: unknown }).guestFiles
  return ops !== null && typeof ops === 'object' && 'downloadUrl' in ops ? (ops as GuestFileOps) : undefined
}
