import type { Menu, MenuItemConstructorOptions } from 'electron'

/** The top-level menus a feature can add items to. `app` exists on macOS only; elsewhere its items go to File. */
export type MenuSection = 'app' | 'file' | 'edit' | 'view' | 'window' | 'help'

export interface MenuOptions {
  platform: NodeJS.Platform
  /** Development build: adds Reload and the developer tools. */
  dev: boolean
  appName: string
}

/** An item a feature contributes, e.g. { id: 'vault.lock', label: 'Lock Vault', accelerator: 'CmdOrCtrl+L', click }. */
export type MenuContribution = MenuItemConstructorOptions & { id: string }

const sep: MenuItemConstructorOptions = { type: 'separator' }

/** The items of one section, with a separator before a feature's items so they stay apart from the standard roles. */
function withContributions(base: MenuItemConstructorOptions[], extra: readonly MenuContribution[]): MenuItemConstructorOptions[] {
  return extra.length === 0 ? base : [...base, sep, ...extra]
}

/**
 * The application menu: standard roles (so copy/paste, zoom and full screen work in every
 * window and the OS gets what it expects) plus what features contributed. Pure: returns the
 * template, so it can be checked without Electron.
 */
export function buildMenuTemplate(
  options: MenuOptions,
  contributions: ReadonlyMap<MenuSection, readonly MenuContribution[]> = new Map(),
): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin'
  const extra = (section: MenuSection): readonly MenuContribution[] => contributions.get(section) ?? []

  const appMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: withContributions([{ role: 'about' }], extra('app')).concat([
      sep,
      { role: 'services' },
      sep,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      sep,
      { role: 'quit' },
    ]),
  }
  const fileItems: MenuItemConstructorOptions[] = mac ? [{ role: 'close' }] : [{ role: 'quit' }]
  const fileExtra = mac ? extra('file') : [...extra('app'), ...extra('file')]
  const fileMenu: MenuItemConstructorOptions = {
    label: 'File',
    submenu: fileExtra.length === 0 ? fileItems : [...fileExtra, sep, ...fileItems],
  }
  const editMenu: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: withContributions(
      [
        { role: 'undo' },
        { role: 'redo' },
        sep,
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
        { role: 'delete' },
        sep,
        { role: 'selectAll' },
      ],
      extra('edit'),
    ),
  }
  const viewMenu: MenuItemConstructorOptions = {
    label: 'View',
    submenu: withContributions(
      [
        ...(options.dev ? [{ role: 'reload' } as const, { role: 'forceReload' } as const, { role: 'toggleDevTools' } as const, sep] : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        sep,
        { role: 'togglefullscreen' },
      ],
      extra('view'),
    ),
  }
  const windowMenu: MenuItemConstructorOptions = {
    label: 'Window',
    role: 'windowMenu',
    submenu: withContributions(
      [{ role: 'minimize' }, { role: 'zoom' }, ...(mac ? [sep, { role: 'front' } as const] : [{ role: 'close' } as const])],
      extra('window'),
    ),
  }
  const helpMenu: MenuItemConstructorOptions = {
    label: 'Help',
    role: 'help',
    // macOS shows About in the app menu; elsewhere it lives here.
    submenu: withContributions(mac ? [] : [{ role: 'about' }], extra('help')),
  }
  return [...(mac ? [appMenu] : []), fileMenu, editMenu, viewMenu, windowMenu, helpMenu]
}

/** Features use this to add menu items; the menu is rebuilt on every change. */
export interface AppMenu {
  /** Adds an item to a section; returns a function that removes it. */
  add(section: MenuSection, item: MenuContribution): () => void
  /** Greys an item out or back in (e.g. "Lock Vault" while the vault is locked). */
  setEnabled(id: string, enabled: boolean): void
}

/** Installs the application menu. `menu` is Electron's Menu class (a fake in tests). */
export function installAppMenu(menu: Pick<typeof Menu, 'buildFromTemplate' | 'setApplicationMenu'>, options: MenuOptions): AppMenu {
  const contributions = new Map<MenuSection, MenuContribution[]>()
  const disabled = new Set<string>()
  const rebuild = (): void => {
    const withState = new Map<MenuSection, MenuContribution[]>()
    for (const [section, items] of contributions) {
      withState.set(
        section,
        items.map((i) => ({ ...i, enabled: !disabled.has(i.id) && i.enabled !== false })),
      )
    }
    menu.setApplicationMenu(menu.buildFromTemplate(buildMenuTemplate(options, withState)))
  }
  rebuild()
  return {
    add(section, item) {
      const items = contributions.get(section) ?? []
      if (items.some((i) => i.id === item.id)) throw new Error(`menu item ${item.id} is already in ${section}`)
      contributions.set(section, [...items, item])
      rebuild()
      return () => {
        contributions.set(section, (contributions.get(section) ?? []).filter((i) => i !== item))
        rebuild()
      }
    },
    setEnabled(id, enabled) {
      if (disabled.has(id) === !enabled) return
      if (enabled) disabled.delete(id)
      else disabled.add(id)
      rebuild()
    },
  }
}
