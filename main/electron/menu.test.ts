import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { buildMenuTemplate, installAppMenu, type MenuOptions } from './menu'

type Item = MenuItemConstructorOptions
const linux: MenuOptions = { platform: 'linux', dev: false, appName: 'Porthole' }
const mac: MenuOptions = { platform: 'darwin', dev: false, appName: 'Porthole' }

const labels = (template: Item[]): (string | undefined)[] => template.map((m) => m.label)
const submenu = (template: Item[], label: string): Item[] => (template.find((m) => m.label === label)?.submenu ?? []) as Item[]
const roles = (items: Item[]): (string | undefined)[] => items.filter((i) => i.type !== 'separator').map((i) => i.role ?? i.id)

describe('application menu', () => {
  it('has File/Edit/View/Window/Help on Linux and Windows, with Quit in File and About in Help', () => {
    const t = buildMenuTemplate(linux)
    expect(labels(t)).toEqual(['File', 'Edit', 'View', 'Window', 'Help'])
    expect(roles(submenu(t, 'File'))).toEqual(['quit'])
    expect(roles(submenu(t, 'Help'))).toEqual(['about'])
    expect(roles(submenu(t, 'Edit'))).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'delete', 'selectAll'])
  })

  it('has the app menu first on macOS, with About and Quit in it', () => {
    const t = buildMenuTemplate(mac)
    expect(labels(t)).toEqual(['Porthole', 'File', 'Edit', 'View', 'Window', 'Help'])
    const app = roles(submenu(t, 'Porthole'))
    expect([app[0], app.at(-1)]).toEqual(['about', 'quit'])
    expect(roles(submenu(t, 'File'))).toEqual(['close'])
  })

  it('offers reload and devtools only in development', () => {
    const view = (dev: boolean): (string | undefined)[] => roles(submenu(buildMenuTemplate({ ...linux, dev }), 'View'))
    expect(view(false)).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen'])
    expect(view(true)).toEqual(['reload', 'forceReload', 'toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen'])
  })

  it('lets a feature add, grey out and remove an item', () => {
    let installed: Item[] = []
    const Menu = {
      buildFromTemplate: vi.fn((template: Item[]) => template),
      setApplicationMenu: vi.fn((menu: unknown) => void (installed = menu as Item[])),
    }
    const menu = installAppMenu(Menu as never, linux)
    const click = vi.fn()
    const remove = menu.add('file', { id: 'vault.lock', label: 'Lock Vault', accelerator: 'CmdOrCtrl+L', click })
    expect(roles(submenu(installed, 'File'))).toEqual(['vault.lock', 'quit'])
    const lock = (): Item | undefined => submenu(installed, 'File').find((i) => i.id === 'vault.lock')
    expect(lock()).toMatchObject({ label: 'Lock Vault', enabled: true, click })
    menu.setEnabled('vault.lock', false)
    expect(lock()?.enabled).toBe(false)
    menu.setEnabled('vault.lock', true)
    expect(lock()?.enabled).toBe(true)
    expect(() => menu.add('file', { id: 'vault.lock', label: 'again' })).toThrow(/already/)
    remove()
    expect(roles(submenu(installed, 'File'))).toEqual(['quit'])
  })

  it("puts items for the macOS app menu into File elsewhere", () => {
    const items = new Map([['app' as const, [{ id: 'prefs', label: 'Preferences…' }]]])
    expect(roles(submenu(buildMenuTemplate(mac, items), 'Porthole'))).toContain('prefs')
    expect(roles(submenu(buildMenuTemplate(linux, items), 'File'))).toEqual(['prefs', 'quit'])
  })
})
