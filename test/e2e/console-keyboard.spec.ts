// Console keyboard fidelity in Chromium through noVNC: a QEMU guest (QEMU's extended key event:
// the scancode path; the boot sector logs every byte its keyboard controller reads) and the lab's
// built-in RFB source with a US keysym table (keysyms only, as ESXi). The expected scancodes come
// from the German layout's hand-written chart in test/helpers/layout-charts.ts (xkb `de`, pc105:
// QWERTZ, AltGr for @ [ ] { } \ | ~, dead ^ and `), not computed by the planner under test. Here the
// layout comes from the profile; console-layouts.spec.ts runs the whole layout matrix through the
// toolbar's per-VM choice.
import { startRfbServer } from '../../lab/consoles/rfb-server'
import { parseSerialKeys } from '../../lab/consoles/serial-log'
import { byteCount, expectedChars, textFor } from '../helpers/layout-charts'
import { Cleanups, bytesAfter, compare, compareTyped, openConsole, pasteAsKeys, qemuGuest, tap } from './console-helpers'
import { expect, saveScreenshot, test } from './fixtures'

const cleanups = new Cleanups()
test.afterEach(() => cleanups.run())

const GERMAN_TEXT = textFor('de')

test('QEMU (scancode path): a German guest layout (from the profile) gets printable ASCII + the German characters pasted as the chart says; physical keys are the same scancodes whatever the layout', async ({ page, porthole, pageErrors }) => {
  test.setTimeout(120_000)
  const vm = await qemuGuest(cleanups, 'kbd-qemu')
  const added = await porthole.api.call('profiles.add', { kind: 'vnc', name: 'German box', host: '127.0.0.1', port: vm.vncPort, keyboardLayout: 'de' })
  expect(added.ok).toBe(true)
  const console_ = await openConsole(page, porthole, 'German box')
  await expect(console_.getByLabel('Guest keyboard layout')).toHaveValue('de')
  const read = (): number[] => parseSerialKeys(vm.serialLog()).scancodes
  // The extended key event is known after the first update; a key press settles it.
  await console_.getByTestId('console-screen').locator('canvas').click()
  await page.keyboard.press('KeyA')
  compare(await bytesAfter(read, 0, 2), tap(0x1e), 'the first key')

  const want = expectedChars('de')
  const before = read().length
  const started = Date.now()
  await pasteAsKeys(console_, GERMAN_TEXT)
  compareTyped(await bytesAfter(read, before, byteCount(want)), want, 'the pasted text')
  const rate = [...GERMAN_TEXT].length / ((Date.now() - started) / 1000)
  test.info().annotations.push({ type: 'paste_chars_per_s', description: rate.toFixed(1) })

  // Physical keys by code: the same scancodes with the layout set to de and to fr.
  for (const layout of ['de', 'fr']) {
    await console_.getByLabel('Guest keyboard layout').selectOption(layout)
    await console_.getByTestId('console-screen').locator('canvas').click()
    const from = read().length
    for (const code of ['KeyZ', 'KeyY', 'KeyQ', 'Semicolon', 'Digit2']) await page.keyboard.press(code)
    compare(await bytesAfter(read, from, 10), [...tap(0x2c), ...tap(0x15), ...tap(0x10), ...tap(0x27), ...tap(0x03)], `physical keys with ${layout}`)
  }
  // The choice is remembered for this VM.
  await expect
    .poll(async () => {
      const settings = await porthole.api.call('settings.get', {})
      return settings.ok ? Object.values(settings.value.consoleLayouts) : settings.error.message
    })
    .toEqual(['fr'])
  expect(pageErrors).toEqual([])
})

test('the keysym-only lab source (US table, as ESXi): the same German paste arrives as the same scancodes', async ({ page, porthole, pageErrors }) => {
  test.setTimeout(120_000)
  const rfb = await startRfbServer({ name: 'kbd-builtin', usKeyboard: true })
  cleanups.add(() => rfb.close())
  const added = await porthole.api.call('profiles.add', { kind: 'vnc', name: 'ESXi-like', host: '127.0.0.1', port: rfb.port, keyboardLayout: 'de' })
  expect(added.ok).toBe(true)
  const console_ = await openConsole(page, porthole, 'ESXi-like')
  const read = (): number[] => rfb.scancodes
  const want = expectedChars('de')
  const before = read().length
  await pasteAsKeys(console_, GERMAN_TEXT)
  compareTyped(await bytesAfter(read, before, byteCount(want)), want, 'the pasted text')

  // A physical key goes by position too: Z (code KeyZ) is the guest's key at 2c whatever the local layout.
  await console_.getByTestId('console-screen').locator('canvas').click()
  const from = read().length
  for (const code of ['KeyZ', 'KeyY', 'Semicolon']) await page.keyboard.press(code)
  compare(await bytesAfter(read, from, 6), [...tap(0x2c), ...tap(0x15), ...tap(0x27)], 'physical keys')
  expect(pageErrors).toEqual([])
})

test('keys: a held Ctrl is released when the tab is left; with "Cmd acts as Ctrl" Meta+C arrives as Ctrl+C; Ctrl+L goes to the guest, not to the app', async ({ page, porthole, pageErrors }) => {
  test.setTimeout(90_000)
  const vm = await qemuGuest(cleanups, 'kbd-keys')
  const added = await porthole.api.call('profiles.add', { kind: 'vnc', name: 'Mac user', host: '127.0.0.1', port: vm.vncPort, cmdAsCtrl: true })
  expect(added.ok).toBe(true)
  const console_ = await openConsole(page, porthole, 'Mac user')
  const canvas = console_.getByTestId('console-screen').locator('canvas')
  const read = (): number[] => parseSerialKeys(vm.serialLog()).scancodes
  await canvas.click()

  // Meta+C → Ctrl (1d) C (2e).
  let from = read().length
  await page.keyboard.down('Meta')
  await page.keyboard.press('KeyC')
  await page.keyboard.up('Meta')
  compare(await bytesAfter(read, from, 4), [0x1d, ...tap(0x2e), 0x9d], 'Meta+C')

  // Ctrl+L reaches the guest (1d 26) and does not lock the vault.
  from = read().length
  await page.keyboard.press('Control+KeyL')
  compare(await bytesAfter(read, from, 4), [0x1d, ...tap(0x26), 0x9d], 'Ctrl+L')
  await expect(page.getByRole('button', { name: 'Lock vault' })).toBeVisible()

  // Ctrl held, then another tab comes to the front: the guest sees Ctrl go up.
  from = read().length
  await page.keyboard.down('Control')
  compare(await bytesAfter(read, from, 1), [0x1d], 'Ctrl down')
  await page.getByRole('tab').first().click()
  compare(await bytesAfter(read, from, 2), [0x1d, 0x9d], 'Ctrl released')
  await page.keyboard.up('Control')
  await saveScreenshot(page, 'console-keys-released')
  expect(pageErrors).toEqual([])
})
