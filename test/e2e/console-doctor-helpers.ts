// Helpers of the connection doctor specs (console-doctor*.spec.ts): open a VM's console from the
// VMs tab, check that the tab names the cause in its own words (data-cause, title, the failed
// step last), take the screenshot, copy the diagnostics, close the tab; and check that no copied
// text carries a canary ticket, token or password.
import type { BrowserContext, Locator, Page } from '@playwright/test'
import { expect, saveScreenshot, type Porthole } from './fixtures'

export { Cleanups } from './console-helpers'

/** The shell with the page's own origin allowed to use the clipboard (Copy diagnostics). */
export async function openShell(page: Page, porthole: Porthole, context: BrowserContext): Promise<void> {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: porthole.origin })
  await page.goto(porthole.url)
  await expect(page.getByRole('contentinfo').getByTestId('transport')).toHaveText('websocket')
}

/** A VM's row in the VMs tab, once listed (Ctrl+F opens the tab and filters the grid by name). */
export async function findVm(page: Page, name: string): Promise<Locator> {
  await page.keyboard.press('Control+f')
  await page.getByRole('searchbox').fill(name)
  const row = page.getByRole('grid', { name: 'Virtual machines' }).getByRole('row').filter({ has: page.getByRole('gridcell', { name, exact: true }) })
  await expect(row).toBeVisible({ timeout: 20_000 })
  return row
}

/** Opens the VM's graphical console (its row, Enter) and returns the console's region. */
export async function openConsole(page: Page, name: string): Promise<Locator> {
  const row = await findVm(page, name)
  await row.click()
  await page.keyboard.press('Enter')
  const console_ = page.getByRole('region', { name: `Console of ${name}` })
  await expect(console_).toBeVisible()
  return console_
}

export interface DoctorCase {
  step: 'ticket' | 'network' | 'tls' | 'websocket' | 'rfb' | 'session'
  cause: string
  /** The doctor's title, exactly. */
  title: string
  /** What the reason line must say besides (the provider's reason, the status, the banner…). */
  reason?: RegExp | string
  /** The screenshot's name after `console-doctor-` (default the cause). */
  shot?: string
}

/**
 * Waits until the tab shows the doctor's finding for this cause, checks its title and that the
 * last step listed is the failed one, saves `console-doctor-<shot or cause>.png`, then copies the
 * diagnostics and returns the text (checked to name the same step and cause).
 */
export async function expectDoctor(page: Page, console_: Locator, c: DoctorCase, timeout = 20_000): Promise<string> {
  const doctor = console_.getByTestId('console-doctor')
  await expect(doctor).toHaveAttribute('data-cause', c.cause, { timeout })
  await expect(doctor.locator('.console-doctor-title')).toHaveText(c.title)
  await expect(doctor.getByRole('list', { name: 'Connection steps' }).getByRole('listitem').last()).toContainText('failed')
  if (c.reason !== undefined) await expect(console_.getByTestId('console-reason')).toContainText(c.reason)
  await saveScreenshot(page, `console-doctor-${c.shot ?? c.cause}`)
  await console_.getByRole('button', { name: 'Copy diagnostics' }).click()
  // The clipboard holds this tab's report once it names this cause (a retry may be under way).
  let copied = ''
  await expect
    .poll(async () => (copied = await page.evaluate(() => navigator.clipboard.readText())), { timeout: 5_000 })
    .toContain(`Failed step: ${c.step} (${c.cause}): ${c.title}`)
  expect(copied).toMatch(/^Steps:$/m)
  return copied
}

/** Closes the active tab (Ctrl+W), so a tab retrying in the background cannot change its cause later. */
export async function closeConsole(page: Page, console_: Locator, name: string): Promise<void> {
  await page.getByRole('tab', { name, exact: true }).click()
  await page.keyboard.press('Control+w')
  await expect(console_).toHaveCount(0)
}

/** No copied text carries any of the canaries. */
export function expectNoCanary(copied: readonly string[], canaries: readonly string[]): void {
  expect(copied.length).toBeGreaterThan(0)
  for (const canary of canaries) {
    expect(canary.length, 'a canary long enough to mean something').toBeGreaterThanOrEqual(8)
    for (const text of copied) expect(text, `copied diagnostics carry ${canary.slice(0, 4)}…`).not.toContain(canary)
  }
}
