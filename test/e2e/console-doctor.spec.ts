// The connection doctor in Chromium: failures caused through the lab's knobs (a console that
// stopped listening, a wrong VNC password, the console cutting the session) each
// show their own step and message in the console tab (screenshots), and "Copy diagnostics"
// copies the steps and timings without the VNC password.
import type { Locator, Page } from '@playwright/test'
import { startRfbServer, type RfbServer } from '../../lab/consoles/rfb-server'
import { expect, saveScreenshot, test, type Porthole } from './fixtures'

const CANARY_PASSWORD = 'Cnry7pw!'

const cleanups: Array<() => unknown> = []
test.afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function rfbServer(options: { password?: string } = {}): Promise<RfbServer> {
  const s = await startRfbServer({ name: 'doctor-vm', ...options })
  cleanups.push(() => s.close())
  return s
}

async function openConsole(page: Page, name: string): Promise<Locator> {
  await page.getByRole('tab', { name: 'VMs' }).click()
  await page.keyboard.press('Control+f')
  await page.getByRole('searchbox').fill(name)
  const row = page.getByRole('grid', { name: 'Virtual machines' }).getByRole('row').filter({ has: page.getByRole('gridcell', { name, exact: true }) })
  await expect(row).toBeVisible({ timeout: 15_000 })
  await row.click()
  await page.keyboard.press('Enter')
  return page.getByRole('region', { name: `Console of ${name}` })
}

async function addVnc(porthole: Porthole, name: string, host: string, port: number, secret?: string): Promise<void> {
  const added = await porthole.api.call('profiles.add', { kind: 'vnc', name, host, port, ...(secret !== undefined ? { secret } : {}) })
  expect(added.ok).toBe(true)
}

test('each failure shows its own step and message; copied diagnostics carry no password', async ({ page, porthole, context }) => {
  test.setTimeout(120_000)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: porthole.origin })
  const gone = await rfbServer()
  const withPassword = await rfbServer({ password: 'right-pw' })
  const healthy = await rfbServer()
  await addVnc(porthole, 'Closed port', '127.0.0.1', gone.port)
  await addVnc(porthole, 'Wrong password', '127.0.0.1', withPassword.port, CANARY_PASSWORD)
  await addVnc(porthole, 'Dropping', '127.0.0.1', healthy.port)
  await page.goto(porthole.url)
  await expect(page.getByRole('contentinfo').getByTestId('transport')).toHaveText('websocket')
  // The inventory lists the VM while its console answers; then the console goes away (lab knob).
  await page.getByRole('button', { name: /^All VMs/ }).click()
  await expect(page.getByRole('grid', { name: 'Virtual machines' }).getByRole('gridcell', { name: 'Closed port', exact: true }).first()).toBeVisible({ timeout: 15_000 })
  await gone.close()

  const cases: Array<[string, string, RegExp]> = [
    ['Closed port', 'port-closed', /Nothing answers on the console’s port/],
    ['Wrong password', 'vnc-password', /The VNC password is wrong/],
  ]
  for (const [name, cause, title] of cases) {
    const console_ = await openConsole(page, name)
    const doctor = console_.getByTestId('console-doctor')
    await expect(doctor).toHaveAttribute('data-cause', cause, { timeout: 20_000 })
    await expect(doctor).toContainText(title)
    await expect(doctor.getByRole('list', { name: 'Connection steps' }).getByRole('listitem').last()).toContainText('failed')
    await saveScreenshot(page, `console-doctor-${cause}`)
  }

  // Copy diagnostics on the wrong-password tab: the steps and timings, no password.
  const wrong = page.getByRole('region', { name: 'Console of Wrong password' })
  await page.getByRole('tab', { name: 'Wrong password' }).click()
  await wrong.getByRole('button', { name: 'Copy diagnostics' }).click()
  const copied = await page.evaluate(() => navigator.clipboard.readText())
  expect(copied).toContain('Failed step: rfb (vnc-password): The VNC password is wrong')
  expect(copied).toMatch(/network\s+ok\s+\d+ ms/)
  expect(copied).not.toContain(CANARY_PASSWORD)
  expect(copied).not.toContain('right-pw')

  // The console cuts a live session (lab knob): the tab names the drop while it reconnects.
  const dropping = await openConsole(page, 'Dropping')
  await expect(dropping.getByTestId('console-state')).toHaveText(/^Connected/, { timeout: 20_000 })
  healthy.dropConnections()
  await expect(dropping.getByTestId('console-doctor')).toHaveAttribute('data-cause', 'upstream-closed', { timeout: 10_000 })
  await expect(dropping.getByTestId('console-doctor')).toContainText('The console closed the connection')
  await saveScreenshot(page, 'console-doctor-upstream-closed')
  // And it comes back by itself with a new ticket.
  await expect(dropping.getByTestId('console-state')).toHaveText(/^Connected/, { timeout: 30_000 })
})
