// Helpers of the console specs (keyboard, layouts, background, clipboard): a QEMU
// guest whose boot sector logs every byte its keyboard controller reads, opening a VNC profile's
// console, paste-as-keystrokes through the toolbar, and reading and comparing what the guest got.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { buildBootImage } from '../../lab/consoles/boot-image'
import type { OpenstackLab } from '../../lab/openstack/simulator'
import { startQemuVm, type QemuVm } from '../../lab/consoles/qemu'
import { SERIAL_BANNER } from '../../lab/consoles/serial-log'
import { firstDifference, hex, type CharBytes } from '../helpers/layout-charts'
import { expect, saveScreenshot, type Porthole } from './fixtures'

/** What a test started, stopped in reverse order by `run()` (call it from `test.afterEach`). */
export class Cleanups {
  private readonly list: Array<() => unknown> = []

  add(cleanup: () => unknown): void {
    this.list.push(cleanup)
  }

  async run(): Promise<void> {
    for (const c of this.list.splice(0).reverse()) await c()
  }
}

/**
 * Adds 'Lab cloud', a profile of the OpenStack lab started with `dataDir`, trusted through the
 * lab's certificate file (no prompt): what an operator enters for one project. Returns its id.
 */
export async function addOpenstackLabProfile(porthole: Porthole, lab: OpenstackLab, dataDir: string): Promise<string> {
  const added = await porthole.api.call('profiles.add', {
    kind: 'openstack',
    name: 'Lab cloud',
    endpoint: lab.authUrl,
    user: lab.user,
    authType: 'password',
    projectName: lab.project,
    userDomainName: lab.domain,
    projectDomainName: lab.domain,
    trust: { mode: 'ca-file', caFile: path.join(dataDir, 'openstack', 'cert.pem') },
    secret: lab.password,
  })
  if (!added.ok) throw new Error(added.error.message)
  return added.value.id
}

/** A fresh temp directory, removed by `cleanups`. */
export function tempDir(cleanups: Cleanups, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  cleanups.add(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A QEMU guest with the lab boot sector, up (its serial banner seen); stopped by `cleanups`. */
export async function qemuGuest(cleanups: Cleanups, name: string): Promise<QemuVm> {
  const dir = tempDir(cleanups, 'porthole-e2e-kbd-')
  const vm = await startQemuVm({ name, bootImage: await buildBootImage(dir), dir: path.join(dir, 'vm') })
  cleanups.add(() => vm.stop())
  await vm.waitForSerial(SERIAL_BANNER)
  return vm
}

/**
 * Opens a VM's console from the page as it is: the VMs tab (from the sidebar), the filter, Enter;
 * waits until it is connected unless `connected` is false (a console expected to fail).
 */
export async function openVmConsole(page: Page, name: string, connected = true): Promise<Locator> {
  await page.getByRole('button', { name: /^All VMs/ }).click()
  await page.keyboard.press('Control+f')
  await page.getByRole('searchbox').fill(name)
  const row = page.getByRole('grid', { name: 'Virtual machines' }).getByRole('row').filter({ has: page.getByRole('gridcell', { name, exact: true }) })
  await expect(row).toBeVisible({ timeout: 15_000 })
  await row.click()
  await page.keyboard.press('Enter')
  const console_ = page.getByRole('region', { name: `Console of ${name}` })
  if (connected) await expect(console_.getByTestId('console-state')).toHaveText(/^Connected/, { timeout: 20_000 })
  return console_
}

/** Loads the app and opens the VNC profile's console (see openVmConsole). */
export async function openConsole(page: Page, porthole: Porthole, name: string): Promise<Locator> {
  await page.goto(porthole.url)
  await expect(page.getByRole('contentinfo').getByTestId('transport')).toHaveText('websocket')
  return openVmConsole(page, name)
}

/**
 * Polls the guest's received bytes (from index `from`) until there are at least `count`, or the
 * deadline; returns what there is then: the comparison shows what is missing.
 */
export async function bytesAfter(read: () => number[], from: number, count: number, timeoutMs = 30_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const got = read().slice(from)
    if (got.length >= count) {
      // A moment more: anything extra (a stray key) must show up in the comparison too.
      await new Promise((r) => setTimeout(r, 300))
      return read().slice(from)
    }
    if (Date.now() > deadline) return got
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Bytes a key press makes: make, then break (make | 0x80); extended keys with their e0 prefix. */
export function tap(scancode: number): number[] {
  return scancode > 0xff ? [0xe0, scancode & 0xff, 0xe0, (scancode & 0xff) | 0x80] : [scancode, scancode | 0x80]
}

/** Expects exactly `want`; on a mismatch, says where it starts rather than two walls of hex. */
export function compare(got: number[], want: number[], what: string): void {
  const at = want.findIndex((b, i) => got[i] !== b)
  const first = at === -1 ? want.length : at
  expect(at === -1 && got.length === want.length, `${what}: first difference at byte ${first}: want ${hex(want.slice(Math.max(0, first - 6), first + 10))}, got ${hex(got.slice(Math.max(0, first - 6), first + 10))} (lengths ${want.length}/${got.length})`).toBe(true)
}

/** Expects exactly the chart bytes of `want`; a mismatch names the first differing byte and the character typed there. */
export function compareTyped(got: number[], want: readonly CharBytes[], what: string, options: { soft?: boolean } = {}): void {
  const difference = firstDifference(got, want)
  const message = `${what}: ${difference ?? ''}`
  if (options.soft) expect.soft(difference, message).toBeUndefined()
  else expect(difference, message).toBeUndefined()
}

export interface PasteOptions {
  /** Characters the dialog must say it will leave out (the toolbar then says it left them out). */
  untypable?: readonly string[]
  /** Saves a screenshot of the filled-in dialog under this name before typing. */
  screenshot?: string
}

/** Types `text` through the toolbar's "Paste as keys…" dialog and waits until typing is over. */
export async function pasteAsKeys(console_: Locator, text: string, options: PasteOptions = {}): Promise<void> {
  const page = console_.page()
  const untypable = options.untypable ?? []
  await console_.getByRole('button', { name: 'Paste as keys…' }).click()
  const paste = console_.getByRole('dialog', { name: 'Paste as keystrokes' })
  await paste.getByRole('textbox').fill(text)
  if (untypable.length === 0) {
    await expect(paste.getByTestId('paste-untypable')).toHaveCount(0)
  } else {
    await expect(paste.getByTestId('paste-untypable')).toContainText(` cannot type ${untypable.join(' ')}; `)
  }
  if (options.screenshot) await saveScreenshot(page, options.screenshot)
  await paste.getByRole('button', { name: 'Type it' }).click()
  await expect(console_.getByRole('status').filter({ hasText: /^Typing/ })).toHaveCount(0, { timeout: 60_000 })
  if (untypable.length > 0) {
    const list = untypable.join(' ').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    const notice = page.getByTestId('notice').filter({ hasText: new RegExp(`cannot type: ${list}$`) })
    await expect(notice).toHaveCount(1)
    await notice.getByRole('button', { name: 'Dismiss notification' }).click()
  }
}
