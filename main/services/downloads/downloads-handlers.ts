import type { downloadCalls } from '../../../contract/downloads'
import { PortholeError } from '../../../contract/errors'
import type { Handlers } from '../../../contract/serve'
import type { DownloadService } from './download-service'

const ok = { ok: true as const }

/** Binds the downloads service to the contract's downloads.* calls. */
export function downloadsHandlers(downloads: DownloadService): Handlers<typeof downloadCalls> {
  return {
    'downloads.start': ({ vm, path }) => downloads.start(vm, path),
    'downloads.list': () => downloads.list(),
    'downloads.cancel': ({ id }) => downloads.cancel(id),
    'downloads.retry': ({ id }) => downloads.retry(id),
    'downloads.remove': ({ id }) => {
      downloads.remove(id)
      return ok
    },
    'downloads.showInFolder': ({ id }) => {
      downloads.showInFolder(id)
      return ok
    },
    'downloads.startDrag': ({ id }, ctx) => {
      // The id is resolved here, in main: the renderer never names a path.
      const file = downloads.fileOf(id)
      if (!ctx.startDrag) throw new PortholeError('UNSUPPORTED', 'Drag-out needs the desktop app.')
      ctx.startDrag(file)
      return ok
    },
    'downloads.chooseFolder': () => downloads.chooseFolder(),
  }
}
