import { z } from 'zod'
import { call } from './define'

export const Transport = z.enum(['ipc', 'websocket'])
export type Transport = z.infer<typeof Transport>

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.enum(['linux', 'darwin', 'win32', 'other']),
  transport: Transport,
})
export type AppInfo = z.infer<typeof AppInfo>

export const appCalls = {
  'app.info': call('Name, version, platform and the transport this call came over.', z.strictObject({}), AppInfo),
}
