// The guest file browser (DESIGN.md "Guest operations (vSphere)"): directory pages and file
// attributes inside a VM's guest, with the VM's guest credentials (contract/guest.ts). Paths are
// the guest's own (`/var/log`, `C:\Temp`): they are names inside the VM, never local paths.
import { z } from 'zod'
import { call } from './define'
import { VmRef } from './inventory'

export const GuestPath = z.string().min(1).max(4096)

export const GuestEntryType = z.enum(['file', 'directory', 'symlink'])
export type GuestEntryType = z.infer<typeof GuestEntryType>

/** One directory entry, as the list call gives it (the modified time comes from files.info). */
export const GuestEntry = z.strictObject({
  name: z.string().max(4096),
  type: GuestEntryType,
  size: z.number().int().nonnegative(),
})
export type GuestEntry = z.infer<typeof GuestEntry>

/** Largest page files.list returns. */
export const MAX_FILES_PAGE = 1000
/** Most paths one files.info call takes: the rows on screen. */
export const MAX_INFO_PATHS = 100

export const FilesPage = z.strictObject({
  /** The directory listed, as the guest spells it (the guest's root when none was asked for). */
  path: GuestPath,
  /** The guest's separator: '/' or '\\'. */
  separator: z.enum(['/', '\\']),
  entries: z.array(GuestEntry),
  /** Entries the guest says the directory holds (a hint: it can change between pages). */
  total: z.number().int().nonnegative(),
  /** Index of the next page; absent at the end. */
  nextIndex: z.number().int().nonnegative().optional(),
})
export type FilesPage = z.infer<typeof FilesPage>

export const GuestFileAttributes = z.strictObject({
  path: GuestPath,
  type: GuestEntryType.optional(),
  size: z.number().int().nonnegative().optional(),
  /** ISO 8601. */
  modified: z.string().optional(),
  target: z.string().optional(),
  permissions: z.string().optional(),
  hidden: z.boolean().optional(),
  readOnly: z.boolean().optional(),
  /** Why the guest gave no attributes for this path (the others still come). */
  error: z.string().optional(),
})
export type GuestFileAttributes = z.infer<typeof GuestFileAttributes>

export const filesCalls = {
  'files.list': call(
    'One page of a guest directory (no path: the guest\'s root, "/" or "C:\\"). ' +
      'GUEST_AUTH_FAILED (detail.reason missing|rejected), TOOLS_NOT_RUNNING, VM_STATE, NOT_FOUND, PERMISSION_DENIED as the guest answers.',
    z.strictObject({
      vm: VmRef,
      path: GuestPath.optional(),
      index: z.number().int().nonnegative().default(0),
      size: z.number().int().min(1).max(MAX_FILES_PAGE).default(200),
    }),
    FilesPage,
  ),
  'files.info': call(
    'Attributes (modified time, permissions) of some guest paths, the rows on screen: asked a few at a time; a path the guest refuses carries `error`.',
    z.strictObject({ vm: VmRef, paths: z.array(GuestPath).min(1).max(MAX_INFO_PATHS) }),
    z.strictObject({ files: z.array(GuestFileAttributes) }),
  ),
}
