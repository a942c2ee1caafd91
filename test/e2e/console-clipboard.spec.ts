// Clipboard through RFB cut text against the lab's built-in server (it records ClientCutText and
// can send ServerCutText): each direction follows its profile switch, guest → local off by
// default; a QEMU console (no clipboard without a guest agent) says so in the toolbar.
import type { Page } from '@playwright/test'
import { startRfbServer, type RfbServer } from '../../lab/consoles/rfb-server'
import { openVmConsole as openConsole } from './console-helpers'
import { expect, test, type Porthole } from './fixtures'

const cleanups: Array<() => unknown> = []
test.afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function server(): Promise<RfbServer> {
  const s = await startRfbServer({ name: 'clip-vm' })
  cleanups.push(() => s.close())
  return s
}

async function add(porthole: Porthole, name: string, port: number, options: Record<string, boolean>): Promise<void> {
  const added = await porthole.api.call('profiles.add', { kind: 'vnc', name, host: '127.0.0.1', port, ...options })
  expect(added.ok).toBe(true)
}

const readClipboard = (page: Page): Promise<string> => page.evaluate(() => navigator.clipboard.readText())
const writeClipboard = (page: Page, text: string): Promise<void> => page.evaluate((t) => navigator.clipboard.writeText(t), text)

test('cut text crosses in the directions the profile allows, and only those', async ({ page, porthole, context }) => {
  test.setTimeout(90_000)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: porthole.origin })
  const open = await server()
  const closed = await server()
  const shut = await server()
  await add(porthole, 'Both ways', open.port, { clipboardFromGuest: true })
  await add(porthole, 'Defaults', closed.port, {})
  await add(porthole, 'No sharing', shut.port, { clipboardToGuest: false })
  await page.goto(porthole.url)
  await expect(page.getByRole('contentinfo').getByTestId('transport')).toHaveText('websocket')

  // Both ways: a local copy reaches the guest when the console takes the keyboard; a guest copy reaches the local clipboard.
  const both = await openConsole(page, 'Both ways')
  await expect(both.getByTestId('console-clipboard')).toHaveText('Clipboard: to VM, from VM')
  await writeClipboard(page, 'local to guest 1')
  await both.getByTestId('console-screen').locator('canvas').click()
  await expect.poll(() => open.cutTexts).toEqual(['local to guest 1'])
  open.sendCutText('guest to local 1')
  await expect.poll(() => readClipboard(page)).toBe('guest to local 1')

  // Defaults: local → guest on, guest → local off.
  const defaults = await openConsole(page, 'Defaults')
  await expect(defaults.getByTestId('console-clipboard')).toHaveText('Clipboard: to VM')
  await writeClipboard(page, 'local to guest 2')
  await defaults.getByTestId('console-screen').locator('canvas').click()
  await expect.poll(() => closed.cutTexts).toEqual(['local to guest 2'])
  closed.sendCutText('must not arrive')
  // Give it the time the allowed direction took, and a margin: the clipboard must not change.
  await new Promise((r) => setTimeout(r, 1500))
  expect(await readClipboard(page)).toBe('local to guest 2')

  // With local → guest off too, nothing is sent: the same focus that sent it above sends nothing.
  const off = await openConsole(page, 'No sharing')
  await expect(off.getByTestId('console-clipboard')).toHaveText('Clipboard: off')
  await writeClipboard(page, 'local to guest 3')
  await off.getByTestId('console-screen').locator('canvas').click()
  await new Promise((r) => setTimeout(r, 1500))
  expect(shut.cutTexts).toEqual([])
})
