// Clipboard against a real TigerVNC (Debian's Xtigervnc): the guest's X clipboard, set and read
// with xclip as a program in the guest would, against the browser's clipboard, through the real
// app (relay with a VNC password, noVNC). Xvnc speaks the extended clipboard (UTF-8), so the
// canaries carry characters Latin-1 cut text could not. Xvnc's Selection log (level 100) says
// what the server sent and received, which makes "nothing crossed" an observation.
import { randomUUID } from 'node:crypto'
import type { Locator, Page } from '@playwright/test'
import { startTigervnc, tigervncVersion, TIGERVNC_PACKAGES, type Tigervnc } from '../../lab/consoles/tigervnc'
import { expect, test, type Porthole } from './fixtures'
import { openShell, row, shot } from './vm-grid'

const PASSWORD = 'tv-pass'

let version: string | undefined
test.beforeAll(async () => {
  version = await tigervncVersion()
  if (!version) console.warn(`console-tigervnc: SKIPPED, Xtigervnc or xclip is not installed (apt-get install ${TIGERVNC_PACKAGES})`)
})
test.beforeEach(() => {
  test.skip(!version, 'Xtigervnc or xclip is not installed')
})

const cleanups: Array<() => unknown> = []
test.afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function xvnc(name: string): Promise<Tigervnc> {
  // Selection at level 100: every clipboard Xvnc announces, sends, and gets from a client.
  const tv = await startTigervnc({ name, password: PASSWORD, params: { Log: '*:stderr:30,Selection:stderr:100' } })
  cleanups.push(async () => {
    await tv.stop()
    // What Xvnc said (its Selection steps included) goes with a failed test's report.
    if (test.info().status !== test.info().expectedStatus) await test.info().attach('xvnc.log', { body: tv.output(), contentType: 'text/plain' })
  })
  return tv
}

/** How many lines of Xvnc's log contain `text`. */
const logCount = (tv: Tigervnc, text: string): number => tv.output().split('\n').filter((l) => l.includes(text)).length

async function addProfile(porthole: Porthole, name: string, port: number, options: { clipboardToGuest?: boolean; clipboardFromGuest?: boolean }): Promise<string> {
  const added = await porthole.api.call('profiles.add', { kind: 'vnc', name, host: '127.0.0.1', port, secret: PASSWORD, ...options })
  if (!added.ok) throw new Error(`profiles.add: ${added.error.message}`)
  return added.value.id
}

async function openConsole(page: Page, name: string): Promise<Locator> {
  await page.getByRole('button', { name: /^All VMs/ }).click()
  await page.keyboard.press('Control+f')
  await page.getByRole('searchbox').fill(name)
  await expect(row(page, name)).toBeVisible({ timeout: 15_000 })
  await row(page, name).click()
  await page.keyboard.press('Enter')
  const console_ = page.getByRole('region', { name: `Console of ${name}` })
  await expect(console_.getByTestId('console-state')).toHaveText(/^Connected/, { timeout: 20_000 })
  return console_
}

/** The console takes the keyboard (what sends the local clipboard): focus leaves it first, so focusin fires. */
async function focusConsole(page: Page, console_: Locator): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await console_.getByTestId('console-screen').locator('canvas').click()
}

const readClipboard = (page: Page): Promise<string> => page.evaluate(() => navigator.clipboard.readText())
const writeClipboard = (page: Page, text: string): Promise<void> => page.evaluate((t) => navigator.clipboard.writeText(t), text)
const canary = (what: string): string => `${what} ${randomUUID().slice(0, 8)} → ü €`

test('TigerVNC: the guest X clipboard reaches the local clipboard and back, UTF-8 intact', async ({ page, porthole, context, pageErrors }) => {
  test.setTimeout(60_000)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: porthole.origin })
  const tv = await xvnc('tiger-both')
  await addProfile(porthole, 'Tiger both ways', tv.port, { clipboardToGuest: true, clipboardFromGuest: true })
  await openShell(page, porthole)
  const console_ = await openConsole(page, 'Tiger both ways')
  // Xvnc announced the extended clipboard, so the toolbar knows there is one.
  await expect(console_.getByTestId('console-clipboard')).toHaveText('Clipboard: to VM, from VM')

  // (a) Guest → local: a program in the guest copies; the browser's clipboard gets the same text.
  const fromGuest = canary('guest to local')
  await tv.setClipboard(fromGuest)
  await expect.poll(() => readClipboard(page), { timeout: 10_000 }).toBe(fromGuest)

  // (b) Local → guest: a local copy reaches the guest when the console takes the keyboard;
  // Xvnc sets PRIMARY as well as CLIPBOARD (SetPrimary, on by default).
  const toGuest = canary('local to guest')
  await writeClipboard(page, toGuest)
  await focusConsole(page, console_)
  await expect.poll(() => tv.readClipboard('clipboard'), { timeout: 10_000 }).toBe(toGuest)
  expect(await tv.readClipboard('primary')).toBe(toGuest)
  await shot(page, 'console-tigervnc-clipboard')
  expect(pageErrors).toEqual([])
})

test('TigerVNC with both clipboard switches off: canaries from either side never cross, though the pipe carries later copies once on', async ({ page, porthole, context, pageErrors }) => {
  test.setTimeout(60_000)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: porthole.origin })
  // Every write to the local clipboard, in call order: noVNC hands cut text over synchronously,
  // so a canary the app let through would be recorded before any later text.
  await page.addInitScript(() => {
    const w = window as unknown as { clipboardWrites: string[] }
    w.clipboardWrites = []
    const original = navigator.clipboard.writeText.bind(navigator.clipboard)
    navigator.clipboard.writeText = (text: string) => {
      w.clipboardWrites.push(text)
      return original(text)
    }
  })
  const writes = (): Promise<string[]> => page.evaluate(() => (window as unknown as { clipboardWrites: string[] }).clipboardWrites)
  const tv = await xvnc('tiger-off')
  const id = await addProfile(porthole, 'Tiger no sharing', tv.port, { clipboardToGuest: false, clipboardFromGuest: false })
  await openShell(page, porthole)
  const console_ = await openConsole(page, 'Tiger no sharing')
  await expect(console_.getByTestId('console-clipboard')).toHaveText('Clipboard: off')

  // Guest canary: Xvnc offers it, noVNC asks for it and Xvnc sends it down the console's connection...
  const guestCanary = canary('guest canary')
  await tv.setClipboard(guestCanary)
  await expect.poll(() => logCount(tv, `Sending clipboard to clients (${Buffer.byteLength(guestCanary)} bytes)`), { timeout: 10_000 }).toBe(1)
  // Local canary: the console takes the keyboard with it on the local clipboard, as (b) above.
  const localCanary = canary('local canary')
  await writeClipboard(page, localCanary)
  await focusConsole(page, console_)

  // ...then both switches go on, and markers take the same paths after the canaries.
  const updated = await porthole.api.call('profiles.update', { id, patch: { kind: 'vnc', clipboardToGuest: true, clipboardFromGuest: true } })
  expect(updated.ok).toBe(true)
  await expect(console_.getByTestId('console-clipboard')).toHaveText('Clipboard: to VM, from VM')

  const guestMarker = canary('guest marker')
  await tv.setClipboard(guestMarker)
  await expect.poll(() => readClipboard(page), { timeout: 10_000 }).toBe(guestMarker)
  // The marker came down the same connection after the canary: the canary reached the page and was dropped.
  expect(await writes()).toEqual([localCanary, guestMarker])

  const localMarker = canary('local marker')
  await writeClipboard(page, localMarker)
  await focusConsole(page, console_)
  await expect.poll(() => tv.readClipboard('clipboard'), { timeout: 10_000 }).toBe(localMarker)
  // Xvnc heard one client clipboard on this connection: the marker's, not the canary's before it.
  // (Not "Got remote clipboard data": Xvnc asks for the data again whenever an X program reads it before the cached copy arrived.)
  expect(logCount(tv, 'Remote clipboard announced')).toBe(1)
  expect(pageErrors).toEqual([])
})
