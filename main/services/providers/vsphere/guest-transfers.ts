// Guest file info and download URLs (reference §6.2, §6.5; "Read this first" 2 and 10): the
// released `POST …/guest/filesystem?action=create` with `{credentials, spec: {path}}`, answered
// 201 with the URL as a bare JSON string. The URL may name the host as `*` ("the host you
// called"); the downloads service substitutes it, so this returns the URL as vCenter gave it
// together with the URL that was called.
import { z } from 'zod'
import { PortholeError } from '../../../../contract/errors'
import type { GuestCredentials, GuestFileInfo, GuestFileOps } from '../guest-files'
import type { ApiStyle, Operation } from './client'
import { read } from './wire'

const FileInfo = z.looseObject({
  type: z.enum(['FILE', 'DIRECTORY', 'SYMLINK']),
  size: z.number(),
  attributes: z
    .looseObject({
      last_modified: z.string().optional(),
      symlink_target: z.string().optional(),
      win_attributes: z.looseObject({ hidden: z.boolean().optional(), read_only: z.boolean().optional() }).optional(),
      posix_attributes: z.looseObject({ permissions: z.string().optional(), owner: z.number().optional(), group: z.number().optional() }).optional(),
    })
    .optional(),
})

/** What the ops need from the provider's client. */
export interface GuestTransferClient {
  readonly loggedIn: boolean
  readonly style: ApiStyle | undefined
  login(signal: AbortSignal): Promise<void>
  call(op: Operation, signal: AbortSignal): Promise<unknown>
}

const vmPath = (id: string): string => `/vcenter/vm/${encodeURIComponent(id)}`

function wireCredentials(c: GuestCredentials): Record<string, unknown> {
  if (c.samlToken !== undefined) {
    return { type: 'SAML_BEARER_TOKEN', interactive_session: false, saml_token: c.samlToken, ...(c.username ? { user_name: c.username } : {}) }
  }
  return { type: 'USERNAME_PASSWORD', interactive_session: false, user_name: c.username, password: c.password }
}

/** File info and download URLs of a vCenter's guests. */
export function vsphereGuestFileOps(client: GuestTransferClient, baseUrl: string): GuestFileOps {
  const guestCall = async (path: string, body: Record<string, unknown>, signal: AbortSignal): Promise<unknown> => {
    if (!client.loggedIn) await client.login(signal)
    if (client.style === 'rest') {
      throw new PortholeError('UNSUPPORTED', 'Guest operations need vCenter 7.0 U2 or later (the /api endpoints).')
    }
    return client.call({ method: 'POST', api: path, rest: path, apiBody: body, guest: true }, signal)
  }
  return {
    async fileInfo(vmId, credentials, guestPath, signal): Promise<GuestFileInfo> {
      const path = `${vmPath(vmId)}/guest/filesystem/files/${encodeURIComponent(guestPath)}?action=get`
      const info = read(FileInfo, await guestCall(path, { credentials: wireCredentials(credentials) }, signal), 'guest file info')
      const out: GuestFileInfo = {
        type: info.type === 'DIRECTORY' ? 'directory' : info.type === 'SYMLINK' ? 'symlink' : 'file',
        size: info.size,
      }
      const a = info.attributes
      if (a?.last_modified !== undefined) out.modified = a.last_modified
      if (a?.symlink_target !== undefined) out.target = a.symlink_target
      if (a?.posix_attributes?.permissions !== undefined) out.permissions = a.posix_attributes.permissions
      if (a?.win_attributes?.hidden !== undefined) out.hidden = a.win_attributes.hidden
      if (a?.win_attributes?.read_only !== undefined) out.readOnly = a.win_attributes.read_only
      return out
    },

    async downloadUrl(vmId, credentials, guestPath, signal) {
      const path = `${vmPath(vmId)}/guest/filesystem?action=create`
      const value = await guestCall(path, { credentials: wireCredentials(credentials), spec: { path: guestPath } }, signal)
      const url = read(z.string().min(1), value, 'guest file transfer create')
      return { url, calledUrl: baseUrl }
    },
  }
}
