// Locators and steps the inventory-level specs (vCenter, OpenStack, ZStack, and the files and
// processes specs that start from a demo VM) share.
import fs from 'node:fs'
import type { Locator, Page } from '@playwright/test'
import { expect, saveScreenshot, test, type Porthole } from './fixtures'

/** The VMs tab's table. */
export function grid(page: Page): Locator {
  return page.getByRole('grid', { name: 'Virtual machines' })
}

/** The table row whose name cell is exactly `name`. */
export function row(page: Page, name: string): Locator {
  return grid(page).getByRole('row').filter({ has: page.getByRole('gridcell', { name, exact: true }) })
}

/** The screenshot under test-results/screenshots/ and, since other runs may empty that, in this test's output too. */
export async function shot(page: Page, name: string): Promise<void> {
  const file = await saveScreenshot(page, name)
  fs.copyFileSync(file, test.info().outputPath(`${name}.png`))
}

/** Opens the harness URL and waits until the shell talks to the host. */
export async function openShell(page: Page, porthole: Porthole): Promise<void> {
  await page.goto(porthole.url)
  await expect(page.getByRole('contentinfo').getByTestId('transport')).toHaveText('websocket')
}

/** A powered-on Ubuntu guest with Tools running in the demo lab (1,200 VMs, seed 1). */
export const DEMO_GUEST_VM = 'dns-prod-01'

/** Starts the demo lab from the empty shell, finds DEMO_GUEST_VM and picks `menuItem` from its context menu. */
export async function openDemoVmMenuItem(page: Page, porthole: Porthole, menuItem: string): Promise<void> {
  await openShell(page, porthole)
  await page.getByRole('button', { name: 'Try the demo lab' }).click()
  await expect(page.getByTestId('vm-count')).toHaveAttribute('data-total', '1200', { timeout: 20_000 })
  await page.getByRole('searchbox').fill(DEMO_GUEST_VM)
  await row(page, DEMO_GUEST_VM).click({ button: 'right' })
  await page.getByRole('menuitem', { name: menuItem }).click()
}

/** A row's Power cell: the badge, described by the provider's own status. */
export function powerCell(page: Page, name: string): Locator {
  return row(page, name).getByRole('gridcell').nth(1)
}

/** A row's Status cell: the provider's own status ('SHUTOFF', 'ACTIVE · powering-off', 'POWERED_ON'). */
export function statusCell(page: Page, name: string): Locator {
  return row(page, name).getByRole('gridcell').nth(2)
}
