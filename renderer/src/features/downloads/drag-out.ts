// Drag-out from the file browser: a file already downloaded is handed to the OS at once; one
// that is not downloads first (with progress on its row and in the panel), then the drag starts.
import type { VmRef } from '../../../../contract/inventory'
import { notifyInfo } from '../../store/notify'
import { downloadOf, useDownloads, whenSettled } from './store'

/** Drags a guest file out of the window, downloading it first when needed. */
export async function dragGuestFile(vm: VmRef, vmName: string, guestPath: string): Promise<void> {
  const downloads = useDownloads.getState()
  let d = downloadOf(downloads, vm, guestPath)
  if (!d || d.state === 'failed' || d.state === 'cancelled') d = await downloads.download(vm, vmName, guestPath)
  if (!d) return
  if (d.state !== 'done') {
    notifyInfo(`Downloading ${d.name} first; the drag starts when it is done.`)
    d = await whenSettled(d.id)
  }
  if (d.state === 'done') await useDownloads.getState().startDrag(d.id)
}
