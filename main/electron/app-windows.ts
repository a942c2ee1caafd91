/** What the registry needs of a BrowserWindow (a fake in tests). */
export interface RegisteredWindow<C> {
  readonly webContents: C
  isDestroyed(): boolean
  once(event: 'closed', listener: () => void): unknown
}

/**
 * The app's own windows. IPC accepts calls only from their top frames and sends events only
 * to them; any other web contents (a devtools page, a future popup) is a stranger.
 */
export interface AppWindows<W extends RegisteredWindow<C>, C> {
  add(win: W): W
  list(): W[]
  /** The web contents of every open app window. */
  contents(): C[]
}

export function createAppWindows<W extends RegisteredWindow<C>, C = W['webContents']>(): AppWindows<W, C> {
  const windows = new Set<W>()
  const open = (): W[] => [...windows].filter((w) => !w.isDestroyed())
  return {
    add(win) {
      windows.add(win)
      win.once('closed', () => windows.delete(win))
      return win
    },
    list: open,
    contents: () => open().map((w) => w.webContents),
  }
}
