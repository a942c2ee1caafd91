// The guest file browser's service (DESIGN.md "Guest operations (vSphere)"): directory pages and
// the attributes of the rows on screen, over the provider of the VM's connection with the VM's
// guest credentials. vCenter's list gives names, types and sizes only; modified times need one
// info call per file, so they are asked for the rows on screen, a few at a time.
import { PortholeError } from '../../../contract/errors'
import type { FilesPage, filesCalls, GuestFileAttributes } from '../../../contract/files'
import type { Handlers } from '../../../contract/serve'
import type { VmRef } from '../../../contract/inventory'
import { Limiter } from '../inventory/limiter'
import { guestFileOpsOf, type GuestFileOps } from '../providers/guest-files'
import type { GuestCredentials, GuestOps, Provider } from '../providers/provider'

/** Info calls at once per files.info request. */
const INFO_CONCURRENCY = 6

export interface GuestFilesOptions {
  /** The live provider of a VM's connection (inventory `providerFor`). */
  providerFor(ref: VmRef): Pick<Provider, 'kind' | 'guest'>
  /** Runs a guest call with the VM's guest credentials (guest/credentials.ts `use`). */
  withCredentials<T>(ref: VmRef, operation: (credentials: GuestCredentials) => Promise<T>): Promise<T>
}

export interface GuestFilesService {
  /** One page of a directory; without a path, the guest's root ('/' or 'C:\'). */
  list(ref: VmRef, path: string | undefined, page: { index: number; size: number }, signal: AbortSignal): Promise<FilesPage>
  /** Attributes of some paths; a path the guest refuses carries `error`, the others still come. */
  info(ref: VmRef, paths: string[], signal: AbortSignal): Promise<GuestFileAttributes[]>
}

/** Whether a guest path is a Windows one (`C:\…`, `\\server\share`). */
export function isWindowsPath(p: string): boolean {
  return /^[A-Za-z]:/.test(p) || p.startsWith('\\\\')
}

export function createGuestFiles(options: GuestFilesOptions): GuestFilesService {
  const guestOf = (ref: VmRef): GuestOps => {
    const provider = options.providerFor(ref)
    if (!provider.guest) throw new PortholeError('UNSUPPORTED', `Guest files are not available on ${provider.kind} connections.`, { detail: { kind: provider.kind } })
    return provider.guest
  }
  const fileOpsOf = (ref: VmRef): GuestFileOps => {
    const provider = options.providerFor(ref)
    const ops = guestFileOpsOf(provider)
    if (!ops) throw new PortholeError('UNSUPPORTED', `Guest file details are not available on ${provider.kind} connections.`, { detail: { kind: provider.kind } })
    return ops
  }

  const listAt = async (ref: VmRef, path: string, page: { index: number; size: number }, signal: AbortSignal): Promise<FilesPage> => {
    const guest = guestOf(ref)
    const result = await options.withCredentials(ref, (c) => guest.listFiles(ref.id, c, path, page, signal))
    const out: FilesPage = {
      path,
      separator: isWindowsPath(path) ? '\\' : '/',
      entries: result.entries.map((e) => ({ name: e.name, type: e.type, size: Math.max(0, Math.floor(e.size)) })),
      total: result.total,
    }
    if (result.nextIndex !== undefined) out.nextIndex = result.nextIndex
    return out
  }

  return {
    async list(ref, path, page, signal) {
      if (path !== undefined) return listAt(ref, path, page, signal)
      // The guest's family is not in the list call: try a POSIX root, then a Windows drive.
      try {
        return await listAt(ref, '/', page, signal)
      } catch (err) {
        if (!(err instanceof PortholeError) || err.code !== 'NOT_FOUND') throw err
        return listAt(ref, 'C:\\', page, signal)
      }
    },

    async info(ref, paths, signal) {
      const ops = fileOpsOf(ref)
      const limiter = new Limiter(INFO_CONCURRENCY)
      return Promise.all(
        paths.map((p) =>
          limiter.run(async (): Promise<GuestFileAttributes> => {
            try {
              const i = await options.withCredentials(ref, (c) => ops.fileInfo(ref.id, c, p, signal))
              const out: GuestFileAttributes = { path: p, type: i.type, size: Math.max(0, Math.floor(i.size)) }
              if (i.modified !== undefined) out.modified = i.modified
              if (i.target !== undefined) out.target = i.target
              if (i.permissions !== undefined) out.permissions = i.permissions
              if (i.hidden !== undefined) out.hidden = i.hidden
              if (i.readOnly !== undefined) out.readOnly = i.readOnly
              return out
            } catch (err) {
              // Credentials refused, the VM gone: the whole call fails, as a list would.
              if (err instanceof PortholeError && (err.code === 'GUEST_AUTH_FAILED' || err.code === 'VM_STATE' || err.code === 'TOOLS_NOT_RUNNING' || err.code === 'CANCELLED')) throw err
              return { path: p, error: err instanceof Error ? err.message : String(err) }
            }
          }),
        ),
      )
    },
  }
}

/** Binds the files service to the contract's files.* calls. */
export function filesHandlers(files: GuestFilesService): Handlers<typeof filesCalls> {
  return {
    'files.list': ({ vm, path, index, size }, ctx) => files.list(vm, path, { index, size }, ctx.signal),
    'files.info': async ({ vm, paths }, ctx) => ({ files: await files.info(vm, paths, ctx.signal) }),
  }
}
