// Console keyboard fidelity in Chromium through noVNC: a QEMU guest (QEMU's extended key event:
// the scancode path; the boot sector logs every byte its keyboard controller reads) and the lab's
// built-in RFB source with a US keysym table (keysyms only, as ESXi). The expected scancodes are
// written here from the German layout's chart (xkb `de`, pc105: QWERTZ, AltGr for @ [ ] { } \ | ~,
// dead ^ and `), not computed by the planner under test.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { buildBootImage } from '../../lab/consoles/boot-image'
import { startQemuVm, type QemuVm } from '../../lab/consoles/qemu'
import { startRfbServer } from '../../lab/consoles/rfb-server'
import { parseSerialKeys, SERIAL_BANNER } from '../../lab/consoles/serial-log'
import { expect, saveScreenshot, test, type Porthole } from './fixtures'

const cleanups: Array<() => unknown> = []
test.afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function qemuGuest(name: string): Promise<QemuVm> {
  const dir = tempDir('porthole-e2e-kbd-')
  const vm = await startQemuVm({ name, bootImage: await buildBootImage(dir), dir: path.join(dir, 'vm') })
  cleanups.push(() => vm.stop())
  await vm.waitForSerial(SERIAL_BANNER)
  return vm
}

/** Opens the VNC profile's console (the VMs tab, Enter) and waits until it is connected. */
async function openConsole(page: Page, porthole: Porthole, name: string): Promise<Locator> {
  await page.goto(porthole.url)
  await expect(page.getByRole('contentinfo').getByTestId('transport')).toHaveText('websocket')
  await page.keyboard.press('Control+f')
  await page.getByRole('searchbox').fill(name)
  const row = page.getByRole('grid', { name: 'Virtual machines' }).getByRole('row').filter({ has: page.getByRole('gridcell', { name, exact: true }) })
  await expect(row).toBeVisible({ timeout: 15_000 })
  await row.click()
  await page.keyboard.press('Enter')
  const console_ = page.getByRole('region', { name: `Console of ${name}` })
  await expect(console_.getByTestId('console-state')).toHaveText(/^Connected/, { timeout: 20_000 })
  return console_
}

/** Polls the guest's received bytes (from index `from`) until there are at least `count`; returns them. */
async function bytesAfter(read: () => number[], from: number, count: number, what: string): Promise<number[]> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const got = read().slice(from)
    if (got.length >= count) {
      // A moment more: anything extra (a stray key) must show up in the comparison too.
      await new Promise((r) => setTimeout(r, 300))
      return read().slice(from)
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${count} bytes expected, got ${got.length}: ${hex(got.slice(-40))}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

function hex(bytes: number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')
}

/** Bytes a key press makes: make, then break (make | 0x80); extended keys with their e0 prefix. */
function tap(scancode: number): number[] {
  return scancode > 0xff ? [0xe0, scancode & 0xff, 0xe0, (scancode & 0xff) | 0x80] : [scancode, scancode | 0x80]
}

const SHIFT = 0x2a
const ALTGR = 0xe038

/** One stroke: "S" Shift, "G" AltGr, then the key's scancode. */
function stroke(mods: '' | 'S' | 'G' | 'SG', scancode: number): number[] {
  const downs: number[] = []
  const ups: number[] = []
  if (mods.includes('S')) {
    downs.push(SHIFT)
    ups.unshift(SHIFT | 0x80)
  }
  if (mods.includes('G')) {
    downs.push(0xe0, ALTGR & 0xff)
    ups.unshift(0xe0, (ALTGR & 0xff) | 0x80)
  }
  return [...downs, ...tap(scancode), ...ups]
}

// Scancodes (set 1) of the keys a German pc105 keyboard types with.
const SC = {
  Backquote: 0x29, Minus: 0x0c, Equal: 0x0d, BracketLeft: 0x1a, BracketRight: 0x1b, Backslash: 0x2b,
  Semicolon: 0x27, Quote: 0x28, Comma: 0x33, Period: 0x34, Slash: 0x35, IntlBackslash: 0x56, Space: 0x39,
} as const
const DIGIT = [0x0b, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a]
const LETTER: Record<string, number> = {
  a: 0x1e, b: 0x30, c: 0x2e, d: 0x20, e: 0x12, f: 0x21, g: 0x22, h: 0x23, i: 0x17, j: 0x24, k: 0x25, l: 0x26, m: 0x32,
  n: 0x31, o: 0x18, p: 0x19, q: 0x10, r: 0x13, s: 0x1f, t: 0x14, u: 0x16, v: 0x2f, w: 0x11, x: 0x2d,
  // QWERTZ: Z where US has Y, Y where US has Z.
  y: 0x2c, z: 0x15,
}

/** The German layout's chart for printable ASCII plus ä ö ü ß: the bytes each character makes. */
function germanBytes(char: string): number[] {
  const lower = char.toLowerCase()
  if (/^[a-z]$/.test(lower)) return stroke(char === lower ? '' : 'S', LETTER[lower]!)
  if (/^\d$/.test(char)) return stroke('', DIGIT[Number(char)]!)
  const chart: Record<string, number[]> = {
    ' ': stroke('', SC.Space),
    '!': stroke('S', DIGIT[1]!),
    '"': stroke('S', DIGIT[2]!),
    '#': stroke('', SC.Backslash),
    $: stroke('S', DIGIT[4]!),
    '%': stroke('S', DIGIT[5]!),
    '&': stroke('S', DIGIT[6]!),
    "'": stroke('S', SC.Backslash),
    '(': stroke('S', DIGIT[8]!),
    ')': stroke('S', DIGIT[9]!),
    '*': stroke('S', SC.BracketRight),
    '+': stroke('', SC.BracketRight),
    ',': stroke('', SC.Comma),
    '-': stroke('', SC.Slash),
    '.': stroke('', SC.Period),
    '/': stroke('S', DIGIT[7]!),
    ':': stroke('S', SC.Period),
    ';': stroke('S', SC.Comma),
    '<': stroke('', SC.IntlBackslash),
    '=': stroke('S', DIGIT[0]!),
    '>': stroke('S', SC.IntlBackslash),
    '?': stroke('S', SC.Minus),
    '@': stroke('G', LETTER.q!),
    '[': stroke('G', DIGIT[8]!),
    '\\': stroke('G', SC.Minus),
    ']': stroke('G', DIGIT[9]!),
    // Dead circumflex, then Space.
    '^': [...stroke('', SC.Backquote), ...stroke('', SC.Space)],
    _: stroke('S', SC.Slash),
    // Dead grave (Shift+´), then Space.
    '`': [...stroke('S', SC.Equal), ...stroke('', SC.Space)],
    '{': stroke('G', DIGIT[7]!),
    '|': stroke('G', SC.IntlBackslash),
    '}': stroke('G', DIGIT[0]!),
    '~': stroke('G', SC.BracketRight),
    ä: stroke('', SC.Quote),
    ö: stroke('', SC.Semicolon),
    ü: stroke('', SC.BracketLeft),
    ß: stroke('', SC.Minus),
  }
  const bytes = chart[char]
  if (!bytes) throw new Error(`no chart entry for ${char}`)
  return bytes
}

const PRINTABLE_ASCII = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('')
const GERMAN_TEXT = `${PRINTABLE_ASCII}äöüß`

async function pasteAsKeys(console_: Locator, text: string): Promise<void> {
  await console_.getByRole('button', { name: 'Paste as keys…' }).click()
  const paste = console_.getByRole('dialog', { name: 'Paste as keystrokes' })
  await paste.getByRole('textbox').fill(text)
  await expect(paste.getByTestId('paste-untypable')).toHaveCount(0)
  await paste.getByRole('button', { name: 'Type it' }).click()
  await expect(console_.getByRole('status').filter({ hasText: /^Typing/ })).toHaveCount(0, { timeout: 60_000 })
}

function compare(got: number[], want: number[]): void {
  // On a mismatch, show where it starts rather than two walls of hex.
  const at = want.findIndex((b, i) => got[i] !== b)
  expect(at === -1 && got.length === want.length, `first difference at byte ${at}: want ${hex(want.slice(Math.max(0, at - 6), at + 10))}, got ${hex(got.slice(Math.max(0, at - 6), at + 10))} (lengths ${want.length}/${got.length})`).toBe(true)
}

test('QEMU (scancode path): a German guest layout gets printable ASCII + äöüß pasted as the chart says; physical keys are the same scancodes whatever the layout', async ({ page, porthole, pageErrors }) => {
  test.setTimeout(120_000)
  const vm = await qemuGuest('kbd-qemu')
  const added = await porthole.api.call('profiles.add', { kind: 'vnc', name: 'German box', host: '127.0.0.1', port: vm.vncPort, keyboardLayout: 'de' })
  expect(added.ok).toBe(true)
  const console_ = await openConsole(page, porthole, 'German box')
  await expect(console_.getByLabel('Guest keyboard layout')).toHaveValue('de')
  const read = (): number[] => parseSerialKeys(vm.serialLog()).scancodes
  // The extended key event is known after the first update; a key press settles it.
  await console_.getByTestId('console-screen').locator('canvas').click()
  await page.keyboard.press('KeyA')
  await bytesAfter(read, 0, 2, 'the first key')

  const want = [...GERMAN_TEXT].flatMap(germanBytes)
  const before = read().length
  const started = Date.now()
  await pasteAsKeys(console_, GERMAN_TEXT)
  compare(await bytesAfter(read, before, want.length, 'the pasted text'), want)
  const rate = [...GERMAN_TEXT].length / ((Date.now() - started) / 1000)
  test.info().annotations.push({ type: 'paste_chars_per_s', description: rate.toFixed(1) })

  // Physical keys by code: the same scancodes with the layout set to de and to fr.
  for (const layout of ['de', 'fr']) {
    await console_.getByLabel('Guest keyboard layout').selectOption(layout)
    await console_.getByTestId('console-screen').locator('canvas').click()
    const from = read().length
    for (const code of ['KeyZ', 'KeyY', 'KeyQ', 'Semicolon', 'Digit2']) await page.keyboard.press(code)
    compare(await bytesAfter(read, from, 10, `physical keys with ${layout}`), [...tap(0x2c), ...tap(0x15), ...tap(0x10), ...tap(0x27), ...tap(0x03)])
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
  cleanups.push(() => rfb.close())
  const added = await porthole.api.call('profiles.add', { kind: 'vnc', name: 'ESXi-like', host: '127.0.0.1', port: rfb.port, keyboardLayout: 'de' })
  expect(added.ok).toBe(true)
  const console_ = await openConsole(page, porthole, 'ESXi-like')
  const read = (): number[] => rfb.scancodes
  const want = [...GERMAN_TEXT].flatMap(germanBytes)
  const before = read().length
  await pasteAsKeys(console_, GERMAN_TEXT)
  compare(await bytesAfter(read, before, want.length, 'the pasted text'), want)

  // A physical key goes by position too: Z (code KeyZ) is the guest's key at 2c whatever the local layout.
  await console_.getByTestId('console-screen').locator('canvas').click()
  const from = read().length
  for (const code of ['KeyZ', 'KeyY', 'Semicolon']) await page.keyboard.press(code)
  compare(await bytesAfter(read, from, 6, 'physical keys'), [...tap(0x2c), ...tap(0x15), ...tap(0x27)])
  expect(pageErrors).toEqual([])
})

test('keys: a held Ctrl is released when the tab is left; with "Cmd acts as Ctrl" Meta+C arrives as Ctrl+C; Ctrl+L goes to the guest, not to the app', async ({ page, porthole, pageErrors }) => {
  test.setTimeout(90_000)
  const vm = await qemuGuest('kbd-keys')
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
  compare(await bytesAfter(read, from, 4, 'Meta+C'), [0x1d, ...tap(0x2e), 0x9d])

  // Ctrl+L reaches the guest (1d 26) and does not lock the vault.
  from = read().length
  await page.keyboard.press('Control+KeyL')
  compare(await bytesAfter(read, from, 4, 'Ctrl+L'), [0x1d, ...tap(0x26), 0x9d])
  await expect(page.getByRole('button', { name: 'Lock vault' })).toBeVisible()

  // Ctrl held, then another tab comes to the front: the guest sees Ctrl go up.
  from = read().length
  await page.keyboard.down('Control')
  compare(await bytesAfter(read, from, 1, 'Ctrl down'), [0x1d])
  await page.getByRole('tab').first().click()
  compare(await bytesAfter(read, from, 2, 'Ctrl released'), [0x1d, 0x9d])
  await page.keyboard.up('Control')
  await saveScreenshot(page, 'console-keys-released')
  expect(pageErrors).toEqual([])
})
