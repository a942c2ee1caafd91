// Drag-out (DESIGN.md "Guest operations"): a finished download leaves the window as a real file
// through `webContents.startDrag({file, icon})`. The contract call resolves the renderer's opaque
// download id to the file in main (downloads service) and calls the capability this module
// gives the IPC transport; the renderer never names a path. Electron refuses a drag without an
// icon, so the app icon is loaded once and checked to be non-empty.
import { nativeImage, type NativeImage } from 'electron'
import type { IpcContents } from './ipc-transport'

/** Drag image size: large enough to see under the cursor, small enough not to hide the target. */
const ICON_SIZE = 64

/** The transport's drag capability: starts an OS drag of `file` from the calling window. */
export type DragStarter = (contents: IpcContents, file: string) => void

/** Builds the drag capability with the icon at `iconPath` (build/ or assets/ icon.png). */
export function createDragStarter(iconPath: string): DragStarter {
  let icon: NativeImage | undefined
  const iconOnce = (): NativeImage => {
    if (icon) return icon
    const loaded = nativeImage.createFromPath(iconPath)
    // An empty image makes startDrag throw deep inside Electron; say what is missing instead.
    if (loaded.isEmpty()) throw new Error(`The drag icon ${iconPath} could not be loaded.`)
    icon = loaded.resize({ width: ICON_SIZE, height: ICON_SIZE })
    return icon
  }
  return (contents, file) => {
    if (!contents.startDrag) throw new Error('This window cannot start a drag.')
    contents.startDrag({ file, icon: iconOnce() })
  }
}
