// Console full screen with the keyboard lock, in Chromium through noVNC, against the lab's built-in
// RFB source (keysyms through a US table, as ESXi; it records the scancodes a guest would read).
// What headless Chromium 156 does here (measured): navigator.keyboard exists, lock() resolves after
// requestFullscreen, and keys typed through Playwright (CDP) reach the page whether locked or not;
// Esc, held or tapped, never ends full screen in headless, so Chromium's own "hold Esc to exit" and
// the OS's Alt+Tab cannot be tried here: the app's ways out are.
import type { Locator, Page } from '@playwright/test'
import { startRfbServer, type RfbServer } from '../../lab/consoles/rfb-server'
import { expect, saveScreenshot, test, type Porthole } from './fixtures'

const servers: RfbServer[] = []
test.afterEach(async () => {
  for (const s of servers.splice(0)) await s.close()
})

interface LockCall {
  call: 'lock' | 'unlock'
  keys?: string[] | null
  result?: string
}

/** Records every navigator.keyboard.lock/unlock the page makes, and how each lock ended (runs before the app's scripts). */
function recordKeyboardLock(): void {
  const calls: LockCall[] = []
  ;(window as unknown as { lockCalls: LockCall[] }).lockCalls = calls
  const keyboard = (navigator as unknown as { keyboard?: object }).keyboard
  if (!keyboard) return
  const proto = Object.getPrototypeOf(keyboard) as { lock(keys?: string[]): Promise<void>; unlock(): void }
  const { lock, unlock } = proto
  proto.lock = function (this: unknown, keys?: string[]) {
    const entry: LockCall = { call: 'lock', keys: keys ?? null, result: 'pending' }
    calls.push(entry)
    const answer = lock.call(this, keys)
    answer.then(
      () => (entry.result = 'resolved'),
      (err: unknown) => (entry.result = `rejected: ${err instanceof Error ? err.name : String(err)}`),
    )
    return answer
  }
  proto.unlock = function (this: unknown) {
    calls.push({ call: 'unlock' })
    unlock.call(this)
  }
}

const lockCalls = (page: Page): Promise<LockCall[]> => page.evaluate(() => (window as unknown as { lockCalls: LockCall[] }).lockCalls)

/** The aria-label of the element in full screen, or null. */
const fullscreenLabel = (page: Page): Promise<string | null> => page.evaluate(() => document.fullscreenElement?.getAttribute('aria-label') ?? null)

/** Whether the keyboard focus is inside the console's screen (noVNC's canvas: keys go to the guest). */
const guestHasFocus = (console_: Locator): Promise<boolean> => console_.getByTestId('console-screen').evaluate((el) => el.contains(document.activeElement))

async function labConsole(page: Page, porthole: Porthole, name: string): Promise<{ rfb: RfbServer; console_: Locator }> {
  const rfb = await startRfbServer({ name, usKeyboard: true })
  servers.push(rfb)
  const added = await porthole.api.call('profiles.add', { kind: 'vnc', name, host: '127.0.0.1', port: rfb.port })
  expect(added.ok).toBe(true)
  await page.goto(porthole.url)
  await expect(page.getByRole('contentinfo').getByTestId('transport')).toHaveText('websocket')
  // Keyboard only: the quick switcher opens the VM's console.
  await page.keyboard.press('Control+k')
  await page.keyboard.type(name)
  await expect(page.getByRole('option', { name: new RegExp(name) })).toBeVisible({ timeout: 15_000 })
  await page.keyboard.press('Enter')
  const console_ = page.getByRole('region', { name: `Console of ${name}` })
  await expect(console_.getByTestId('console-state')).toHaveText(/^Connected/, { timeout: 20_000 })
  return { rfb, console_ }
}

/** Waits until the guest has read at least `count` bytes after index `from` (deadline 10 s), then a moment for strays; returns them. */
async function bytesAfter(rfb: RfbServer, from: number, count: number): Promise<number[]> {
  const deadline = Date.now() + 10_000
  while (rfb.scancodes.length - from < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  // Anything extra (a key sent twice, a release too many) must show up in the comparison too.
  await new Promise((r) => setTimeout(r, 300))
  return rfb.scancodes.slice(from)
}

const hex = (bytes: number[]): string[] => bytes.map((b) => b.toString(16).padStart(2, '0'))

/** Sends keys and returns the guest's bytes they made, as hex. */
async function guestBytes(rfb: RfbServer, count: number, keys: () => Promise<void>): Promise<string[]> {
  const from = rfb.scancodes.length
  await keys()
  return hex(await bytesAfter(rfb, from, count))
}

test('full screen from the toolbar locks the keyboard: Esc, Alt+Tab and Win reach the guest; leaving with Ctrl+Alt+Enter releases a held key', async ({ page, porthole, pageErrors }) => {
  test.setTimeout(60_000)
  await page.addInitScript(recordKeyboardLock)
  const { rfb, console_ } = await labConsole(page, porthole, 'Locked box')
  const fullScreen = console_.getByRole('toolbar', { name: 'Console actions' }).getByRole('button', { name: 'Full screen' })
  await fullScreen.click()

  await expect.poll(() => fullscreenLabel(page)).toBe('Console of Locked box')
  await expect.poll(() => lockCalls(page)).toEqual([{ call: 'lock', keys: null, result: 'resolved' }])
  const bar = console_.getByTestId('fullscreen-bar')
  await expect(bar).toHaveAttribute('data-lock', 'locked')
  await expect(console_.getByTestId('fullscreen-status')).toHaveText('Keyboard locked: Alt+Tab, the Windows key and Esc go to the VM')
  const hint = console_.getByTestId('fullscreen-hint')
  await expect(hint).toHaveText('Press and hold Esc to exit full screen')
  await expect(bar.getByRole('button', { name: 'Exit full screen (Ctrl+Alt+Enter)' })).toBeVisible()
  // Only the guest's screen and the way out: the toolbar is hidden.
  await expect(console_.getByRole('toolbar', { name: 'Console actions' })).toBeHidden()
  expect(await guestHasFocus(console_)).toBe(true)
  await saveScreenshot(page, 'console-fullscreen-locked')

  // Esc goes to the guest (scancode 01, press and release) and full screen stays.
  expect(await guestBytes(rfb, 2, () => page.keyboard.press('Escape'))).toEqual(['01', '81'])
  expect(await fullscreenLabel(page)).toBe('Console of Locked box')
  // Alt+Tab: Alt 38, Tab 0f.
  expect(
    await guestBytes(rfb, 4, async () => {
      await page.keyboard.down('Alt')
      await page.keyboard.press('Tab')
      await page.keyboard.up('Alt')
    }),
  ).toEqual(['38', '0f', '8f', 'b8'])
  // The Windows key: e0 5b.
  expect(await guestBytes(rfb, 4, () => page.keyboard.press('Meta'))).toEqual(['e0', '5b', 'e0', 'db'])
  // Ctrl+Tab is the app's "next tab" elsewhere; here it is the guest's, and the tab stays.
  expect(
    await guestBytes(rfb, 4, async () => {
      await page.keyboard.down('Control')
      await page.keyboard.press('Tab')
      await page.keyboard.up('Control')
    }),
  ).toEqual(['1d', '0f', '8f', '9d'])
  await expect(page.getByRole('tab', { selected: true })).toHaveText(/Locked box/)

  // The hint fades; the way out at the top stays.
  await expect(hint).toHaveCount(0, { timeout: 8_000 })
  await expect(bar).toBeVisible()

  // A held A, then the app's chord: Ctrl and Alt go down in the guest before the Enter is known to be
  // the chord; the Enter itself never does. Leaving releases all three, last pressed first.
  const held = await guestBytes(rfb, 6, async () => {
    await page.keyboard.down('KeyA')
    await page.keyboard.down('Control')
    await page.keyboard.down('Alt')
    await page.keyboard.press('Enter')
  })
  expect(held).toEqual(['1e', '1d', '38', 'b8', '9d', '9e'])
  await expect.poll(() => fullscreenLabel(page)).toBe(null)
  await expect(bar).toHaveCount(0)
  await expect.poll(async () => (await lockCalls(page)).map((c) => c.call)).toEqual(['lock', 'unlock'])
  // The focus goes back to where it was: the Full screen button.
  await expect(fullScreen).toBeFocused()
  await expect(fullScreen).toHaveAttribute('aria-pressed', 'false')
  for (const key of ['Alt', 'Control', 'KeyA']) await page.keyboard.up(key)
  // Nothing more was sent: the next key the guest reads is the next one typed.
  await console_.getByTestId('console-screen').locator('canvas').click()
  expect(await guestBytes(rfb, 2, () => page.keyboard.press('KeyB'))).toEqual(['30', 'b0'])
  expect(pageErrors).toEqual([])
})

test('keyboard alone: Ctrl+Alt+Enter enters with the guest focused; full screen ended by the browser (a long Esc, F11) still releases held keys; the top bar exits', async ({ page, porthole, pageErrors }) => {
  test.setTimeout(60_000)
  await page.addInitScript(recordKeyboardLock)
  const { rfb, console_ } = await labConsole(page, porthole, 'Chord box')

  // From wherever the focus is after opening: the chord is the app's, nothing reaches the guest.
  expect(await guestBytes(rfb, 0, () => page.keyboard.press('Control+Alt+Enter'))).toEqual([])
  await expect.poll(() => fullscreenLabel(page)).toBe('Console of Chord box')
  await expect(console_.getByTestId('fullscreen-bar')).toHaveAttribute('data-lock', 'locked')
  expect(await guestHasFocus(console_)).toBe(true)
  expect(await guestBytes(rfb, 2, () => page.keyboard.press('KeyQ'))).toEqual(['10', '90'])

  // Shift held; full screen ends by the browser's own route: Shift goes up in the guest, the lock is given back.
  expect(await guestBytes(rfb, 1, () => page.keyboard.down('Shift'))).toEqual(['2a'])
  expect(await guestBytes(rfb, 1, () => page.evaluate(() => document.exitFullscreen()))).toEqual(['aa'])
  await page.keyboard.up('Shift')
  await expect.poll(() => fullscreenLabel(page)).toBe(null)
  await expect.poll(async () => (await lockCalls(page)).map((c) => c.call)).toEqual(['lock', 'unlock'])

  // In and out by the chord with the guest focused and Ctrl+Alt held throughout: Ctrl and Alt went down in the
  // guest, leaving releases them, the focus comes back to the guest, and the keyboard's own releases of Ctrl
  // and Alt afterwards send nothing a second time.
  await console_.getByTestId('console-screen').locator('canvas').click()
  const inAndOut = await guestBytes(rfb, 6, async () => {
    await page.keyboard.down('Control')
    await page.keyboard.down('Alt')
    await page.keyboard.press('Enter')
    await expect.poll(() => fullscreenLabel(page)).toBe('Console of Chord box')
    await page.keyboard.press('Enter')
    await expect.poll(() => fullscreenLabel(page)).toBe(null)
    expect(await guestHasFocus(console_)).toBe(true)
    await page.keyboard.up('Alt')
    await page.keyboard.up('Control')
    await page.keyboard.press('KeyB')
  })
  expect(inAndOut).toEqual(['1d', '38', 'b8', '9d', '30', 'b0'])

  // In again; out by the pointer's way, the bar at the top edge.
  await page.keyboard.press('Control+Alt+Enter')
  await expect.poll(() => fullscreenLabel(page)).toBe('Console of Chord box')
  await console_.getByTestId('fullscreen-bar').getByRole('button', { name: 'Exit full screen (Ctrl+Alt+Enter)' }).click()
  await expect.poll(() => fullscreenLabel(page)).toBe(null)
  await expect(console_.getByRole('toolbar', { name: 'Console actions' })).toBeVisible()
  expect(pageErrors).toEqual([])
})

test('without navigator.keyboard (Firefox, Safari) full screen still works and says Alt+Tab and the Windows key stay with the computer', async ({ page, porthole, pageErrors }) => {
  test.setTimeout(60_000)
  await page.addInitScript(() => {
    delete (Navigator.prototype as { keyboard?: unknown }).keyboard
  })
  const { rfb, console_ } = await labConsole(page, porthole, 'Plain box')
  await console_.getByRole('button', { name: 'Full screen' }).click()
  await expect.poll(() => fullscreenLabel(page)).toBe('Console of Plain box')
  await expect(console_.getByTestId('fullscreen-bar')).toHaveAttribute('data-lock', 'unsupported')
  await expect(console_.getByTestId('fullscreen-status')).toHaveText(/keys like Alt\+Tab and the Windows key stay with your computer/)
  await expect(console_.getByTestId('fullscreen-hint')).toHaveText('Press Esc or Ctrl+Alt+Enter to exit full screen')
  await saveScreenshot(page, 'console-fullscreen-unlocked')
  // Keys still go to the guest; the chord leaves.
  expect(await guestBytes(rfb, 2, () => page.keyboard.press('KeyZ'))).toEqual(['2c', 'ac'])
  await page.keyboard.press('Control+Alt+Enter')
  await expect.poll(() => fullscreenLabel(page)).toBe(null)
  expect(pageErrors).toEqual([])
})
