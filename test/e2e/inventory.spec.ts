// The inventory in Chromium against a vCenter lab of its own: add the connection through the
// UI and trust its certificate in the TLS prompt, see the VMs stream in, filter, sort, select,
// power a VM off (confirmed) and on, find one with Ctrl+K, see a clear error when the lab
// stops; and "Try the demo lab" from Home.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Locator, Page } from '@playwright/test'
import { startVsphereLab, type VsphereLab } from '../../lab/vsphere/simulator'
import { expect, saveScreenshot, test, type Porthole } from './fixtures'
import { grid, powerCell, row, statusCell } from './vm-grid'

const LAB_VMS = 240

let lab: VsphereLab | undefined
let labDir: string | undefined

test.afterEach(async () => {
  await lab?.stop()
  lab = undefined
  if (labDir) fs.rmSync(labDir, { recursive: true, force: true })
  labDir = undefined
})

async function openShell(page: Page, porthole: Porthole): Promise<void> {
  await page.goto(porthole.url)
  await expect(page.getByRole('contentinfo').getByTestId('transport')).toHaveText('websocket')
}

function count(page: Page): Locator {
  return page.getByTestId('vm-count')
}

async function startLab(options: { listCap?: number } = {}): Promise<VsphereLab> {
  labDir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-e2e-lab-'))
  lab = await startVsphereLab({
    vms: LAB_VMS,
    seed: 21,
    dataDir: labDir,
    faults: { guestPowerDelayMs: 100, latencyMs: 5, ...(options.listCap ? { listCap: options.listCap } : {}) },
  })
  return lab
}

/** Adds the lab vCenter through the "Add connection" dialog and trusts its certificate in the prompt. */
async function addLabConnection(page: Page, target: VsphereLab): Promise<void> {
  await page.getByRole('button', { name: 'New connection' }).click()
  const form = page.getByRole('dialog', { name: 'Add connection' })
  await form.getByLabel('Name').fill('Lab vCenter')
  await form.getByLabel('vCenter address').fill(target.url)
  await form.getByLabel('User').fill(target.user)
  await form.getByLabel('Password', { exact: true }).fill(target.password)
  await form.getByText('Pin on first use').click()
  await form.getByRole('button', { name: 'Add connection' }).click()

  // The first connection meets a certificate nobody trusted yet: the prompt shows it.
  const prompt = page.getByRole('dialog', { name: /Trust the certificate of 127\.0\.0\.1/ })
  await expect(prompt).toBeVisible({ timeout: 10_000 })
  const fingerprint = target.certificate().sha256
  // The prompt groups the fingerprint in fours; its first and last groups are the lab's.
  await expect(prompt).toContainText(fingerprint.slice(0, 11))
  await expect(prompt).toContainText(fingerprint.slice(-11))
  await saveScreenshot(page, 'inventory-tls-prompt')
  await prompt.getByRole('button', { name: 'Trust and connect' }).click()
}

test('add a vCenter, trust it, and work its VMs: filter, sort, power, switcher, errors', async ({ page, porthole, pageErrors }) => {
  test.setTimeout(60_000)
  const target = await startLab({ listCap: 100 })
  await openShell(page, porthole)
  await addLabConnection(page, target)

  // The VMs tab opens and every VM of the lab arrives (partitioned listing, streamed).
  await expect(page.getByRole('tab', { name: 'VMs' })).toHaveAttribute('aria-selected', 'true')
  await expect(count(page)).toHaveAttribute('data-total', String(LAB_VMS), { timeout: 15_000 })
  const sidebar = page.getByRole('list', { name: 'Connected inventories' })
  await expect(sidebar.getByTestId('conn-status')).toHaveText(`${LAB_VMS} VMs`)

  // Details (guest OS, IP) fill in for the rows on screen.
  const firstVm = target.state.inv.vms.map((v) => v.name).sort()[0] as string
  await expect(row(page, firstVm)).toBeVisible()
  await expect(grid(page).locator('[aria-label="Guest OS loading"]')).toHaveCount(0, { timeout: 10_000 })
  await saveScreenshot(page, 'inventory-loaded')

  // Filter: only matching names remain; `/` focuses the box.
  await grid(page).focus()
  await page.keyboard.press('/')
  await expect(page.getByRole('searchbox')).toBeFocused()
  const dbNames = target.state.inv.vms.filter((v) => v.name.includes('db-')).map((v) => v.name)
  await page.keyboard.type('db-')
  await expect(count(page)).toHaveAttribute('data-shown', String(dbNames.length))
  await expect(count(page)).toContainText(`${dbNames.length} of ${LAB_VMS} VMs`)
  await saveScreenshot(page, 'inventory-filtered')

  // Sort by name, descending: the last name comes first.
  await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click()
  await expect(page.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'descending')
  const lastDb = [...dbNames].sort().at(-1) as string
  await expect(grid(page).getByRole('row').nth(1)).toContainText(lastDb)
  await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click()
  await expect(grid(page).getByRole('row').nth(1)).toContainText([...dbNames].sort()[0] as string)

  // Multi-select: click, Shift+click extends, Ctrl+click and Space toggle; a destructive action names them all.
  const sortedDb = [...dbNames].sort()
  const rows = grid(page).getByRole('row')
  await rows.nth(1).click()
  await rows.nth(4).click({ modifiers: ['Shift'] })
  await expect(count(page)).toContainText('4 selected')
  await rows.nth(2).click({ modifiers: ['Control'] })
  await expect(count(page)).toContainText('3 selected')
  await expect(rows.nth(2)).toHaveAttribute('aria-selected', 'false')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Shift+ArrowDown')
  await expect(count(page)).toContainText('2 selected')
  await page.keyboard.press('Control+ArrowDown')
  await page.keyboard.press('Space')
  await expect(count(page)).toContainText('3 selected')
  const chosen = [sortedDb[2], sortedDb[3], sortedDb[4]] as string[]
  for (const name of chosen) await expect(row(page, name)).toHaveAttribute('aria-selected', 'true')
  // Ctrl+A selects every VM shown; a destructive action names those it applies to (eight, then "and N more").
  await page.keyboard.press('Control+a')
  await expect(count(page)).toContainText(`${dbNames.length} selected`)
  const stoppable = target.state.inv.vms.filter((v) => v.name.includes('db-') && v.power !== 'POWERED_OFF').map((v) => v.name).sort()
  expect(stoppable.length).toBeGreaterThan(8)
  await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Power off' }).click()
  const many = page.getByRole('dialog', { name: `Power off ${stoppable.length} VMs?` })
  await expect(many).toBeVisible()
  for (const name of stoppable.slice(0, 8)) await expect(many.getByRole('list', { name: 'VMs' })).toContainText(name)
  await expect(many.getByRole('list', { name: 'VMs' })).toContainText(`and ${stoppable.length - 8} more`)
  await saveScreenshot(page, 'inventory-confirm-many')
  await many.getByRole('button', { name: 'Cancel' }).click()
  await expect(many).toBeHidden()

  // Power off a running VM (confirmed, naming it), then on again; the badge follows the server.
  const vm = target.state.inv.vms.find((v) => v.power === 'POWERED_ON' && v.name.includes('db-') && !v.busy)
  if (!vm) throw new Error('the lab has no running db VM')
  await page.getByRole('searchbox').fill(vm.name)
  await row(page, vm.name).click()
  await expect(row(page, vm.name)).toHaveAttribute('aria-selected', 'true')
  await expect(row(page, vm.name)).toContainText('On')
  await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Power off' }).click()
  const confirm = page.getByRole('dialog', { name: `Power off ${vm.name}?` })
  await expect(confirm).toBeVisible()
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await saveScreenshot(page, 'inventory-confirm')
  await confirm.getByRole('button', { name: /^Power off/ }).click()
  await expect(powerCell(page, vm.name)).toHaveText('Off')
  // vCenter's own word for it, read back after the action, in the Status column and the badge's description.
  await expect(statusCell(page, vm.name)).toHaveText('POWERED_OFF')
  await expect(powerCell(page, vm.name)).toHaveAccessibleDescription('vCenter status: POWERED_OFF')
  expect(target.state.inv.vmById.get(vm.id)?.power).toBe('POWERED_OFF')
  await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Power on' }).click()
  await expect(powerCell(page, vm.name)).toHaveText('On')
  await expect(statusCell(page, vm.name)).toHaveText('POWERED_ON')
  expect(target.state.inv.vmById.get(vm.id)?.power).toBe('POWERED_ON')

  // Keyboard: the grid's context menu from Shift+F10 offers the power actions for the selection.
  await row(page, vm.name).click()
  await page.keyboard.press('Shift+F10')
  const menu = page.getByRole('menu', { name: `Actions for ${vm.name}` })
  await expect(menu).toBeVisible()
  await expect(menu.getByRole('menuitem', { name: 'Power on' })).toHaveAttribute('aria-disabled', 'true')
  await saveScreenshot(page, 'inventory-menu')
  await page.keyboard.press('Escape')
  await expect(menu).toBeHidden()

  // Ctrl+K finds a VM by name (or IP) across connections; Enter opens it (its console, since consoles
  // took over `openVm`), and the VMs tab has it selected, with a filter that hid it cleared.
  const other = target.state.inv.vms.find((v, i) => i > LAB_VMS / 2 && v.power === 'POWERED_ON' && !v.name.includes('db-'))
  if (!other) throw new Error('no VM')
  await page.keyboard.press('Control+k')
  const switcher = page.getByRole('dialog', { name: 'Go to VM' })
  await expect(switcher).toBeVisible()
  await page.keyboard.type(other.name)
  await expect(switcher.getByRole('option').first()).toContainText(other.name)
  await saveScreenshot(page, 'inventory-switcher')
  await page.keyboard.press('Enter')
  await expect(switcher).toBeHidden()
  const consoleTab = page.getByRole('tab', { name: other.name })
  await expect(consoleTab).toHaveAttribute('aria-selected', 'true')
  await consoleTab.locator('.tab-close').click()
  await expect(consoleTab).toHaveCount(0)
  await page.getByRole('tab', { name: 'VMs' }).click()
  await expect(page.getByRole('searchbox')).toHaveValue('')
  await expect(row(page, other.name)).toHaveAttribute('aria-selected', 'true')

  // The lab goes away: a refresh fails with a clear error, and the last VMs stay on screen, marked stale.
  await target.stop()
  lab = undefined
  await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Refresh' }).click()
  const banner = page.getByRole('alert').filter({ hasText: 'Lab vCenter' })
  await expect(banner).toContainText('Cannot reach vCenter', { timeout: 15_000 })
  await expect(banner).toContainText('PROVIDER_UNAVAILABLE')
  await expect(banner.getByRole('button', { name: 'Retry' })).toBeVisible()
  await expect(count(page)).toHaveAttribute('data-total', String(LAB_VMS))
  await expect(sidebar.getByTestId('conn-status')).toHaveText('Unreachable')
  await saveScreenshot(page, 'inventory-error')
  // The console opened above has no WebMKS listener behind this lab: noVNC logs that, nothing else may fail.
  expect(pageErrors.filter((e) => !e.startsWith('console: Failed when connecting'))).toEqual([])
})

test('a slow vCenter: the VMs tab and the sidebar say it is connecting, rows stream in, details follow', async ({ page, porthole }) => {
  test.setTimeout(60_000)
  labDir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-e2e-lab-'))
  lab = await startVsphereLab({ vms: LAB_VMS, seed: 22, dataDir: labDir, faults: { latencyMs: 700, listCap: 60 } })
  // Trusted through a CA file with the lab's certificate, so the connection starts as soon as the profile is saved.
  const caFile = path.join(labDir, 'lab-ca.pem')
  fs.writeFileSync(caFile, lab.certificate().cert)
  await openShell(page, porthole)
  await page.keyboard.press('Control+f')
  const added = await porthole.api.call('profiles.add', {
    kind: 'vsphere',
    name: 'Slow vCenter',
    endpoint: lab.url,
    user: lab.user,
    trust: { mode: 'ca-file', caFile },
    secret: lab.password,
  })
  if (!added.ok) throw new Error(added.error.message)
  await expect(page.getByRole('status').filter({ hasText: 'Connecting to Slow vCenter…' })).toBeVisible()
  await expect(page.getByRole('list', { name: 'Connected inventories' }).getByTestId('conn-status')).toHaveText('Connecting…')
  await saveScreenshot(page, 'inventory-loading')
  await expect(count(page)).toHaveAttribute('data-total', String(LAB_VMS), { timeout: 30_000 })
  // Rows on screen show that their guest OS is on its way, then show it.
  await expect(grid(page).locator('[aria-label="Guest OS loading"]').first()).toBeVisible()
  await saveScreenshot(page, 'inventory-details-loading')
  await expect(grid(page).locator('[aria-label="Guest OS loading"]')).toHaveCount(0, { timeout: 20_000 })
})

test('Try the demo lab: the demo vCenter connects without a prompt, twice is once', async ({ page, porthole, pageErrors }) => {
  test.setTimeout(60_000)
  await openShell(page, porthole)
  // Before any connection, the VMs tab (Ctrl+F) says what to do instead of showing an empty table.
  await page.keyboard.press('Control+f')
  await expect(page.getByRole('status').filter({ hasText: 'No connections yet' })).toBeVisible()
  await expect(page.getByRole('searchbox')).toBeFocused()
  await saveScreenshot(page, 'inventory-empty')
  await page.getByRole('tab', { name: 'Home' }).click()
  await page.getByRole('button', { name: 'Try the demo lab' }).click()
  await expect(page.getByRole('tab', { name: 'VMs' })).toHaveAttribute('aria-selected', 'true')
  await expect(count(page)).toHaveAttribute('data-total', '1200', { timeout: 20_000 })
  await expect(page.getByRole('dialog')).toHaveCount(0)
  const sidebar = page.getByRole('list', { name: 'Connected inventories' })
  await expect(sidebar).toContainText('Demo vCenter')
  await expect(grid(page).locator('[aria-label="Guest OS loading"]')).toHaveCount(0, { timeout: 10_000 })
  await saveScreenshot(page, 'inventory-demo')
  // The grid, toolbar and sidebar section pass axe (serious and critical findings), a row selected.
  await grid(page).getByRole('row').nth(2).click()
  const axe = await new AxeBuilder({ page }).analyze()
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
  // And in the dark theme.
  await page.getByRole('group', { name: 'Theme' }).locator('label').filter({ hasText: 'Dark' }).click()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await saveScreenshot(page, 'inventory-dark')
  const dark = await new AxeBuilder({ page }).analyze()
  expect(dark.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([])

  // Again from Home: the same profile, the same connection.
  await page.getByRole('tab', { name: 'Home' }).click()
  await page.getByRole('button', { name: 'Try the demo lab' }).click()
  await expect(page.getByRole('tab', { name: 'VMs' })).toHaveAttribute('aria-selected', 'true')
  const profiles = await porthole.api.call('profiles.list', {})
  if (!profiles.ok) throw new Error(profiles.error.message)
  expect(profiles.value.profiles.filter((p) => p.name === 'Demo vCenter')).toHaveLength(1)
  await expect(count(page)).toHaveAttribute('data-total', '1200')
  expect(pageErrors).toEqual([])
})

test('with the vault locked, the demo lab asks for the vault first', async ({ page, porthole }) => {
  await openShell(page, porthole)
  const locked = await porthole.api.call('vault.lock', {})
  if (!locked.ok) throw new Error(locked.error.message)
  const result = await porthole.api.call('lab.startDemo', {})
  expect(result.ok ? 'ok' : result.error.code).toBe('VAULT_LOCKED')
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeVisible()
})
