// ZStack in Chromium against a ZStack lab of its own: add the connection through the "Add
// connection" form, trust the lab's certificate in the TLS prompt, see the user VMs grouped
// `zone / cluster` (no virtual routers, nothing from the recycle bin), and stop and start one
// (ZStack runs actions as asynchronous jobs; the badge follows the job's result).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startZstackLab, type ZstackLab } from '../../lab/zstack/simulator'
import { expect, test } from './fixtures'
import { seriousViolations } from './vault-helpers'
import { grid, openShell, powerCell, row, shot, statusCell } from './vm-grid'

const LAB_VMS = 120

let lab: ZstackLab | undefined
let labDir: string | undefined

test.afterEach(async () => {
  await lab?.stop()
  lab = undefined
  if (labDir) fs.rmSync(labDir, { recursive: true, force: true })
  labDir = undefined
})

test('add a ZStack, trust it, see its VMs by zone / cluster, stop and start one', async ({ page, porthole, pageErrors }) => {
  test.setTimeout(60_000)
  labDir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-e2e-zstack-'))
  lab = await startZstackLab({ vms: LAB_VMS, seed: 6, dataDir: labDir, consoleBackend: 'builtin', faults: { actionMs: 400, latencyMs: 5 } })
  const target = lab
  const inv = target.state.inv
  // What a user wants listed: user VMs not in the recycle bin.
  const userVms = inv.vms.filter((v) => v.type === 'UserVm' && v.state !== 'Destroyed' && v.state !== 'Expunging')
  const routers = inv.vms.filter((v) => v.type === 'ApplianceVm')
  const destroyed = inv.vms.filter((v) => v.type === 'UserVm' && v.state === 'Destroyed')
  expect(routers.length).toBeGreaterThan(0)
  const groupOf = (v: (typeof inv.vms)[number]): string =>
    `${inv.zoneByUuid.get(v.zoneUuid)?.name ?? '?'} / ${inv.clusterByUuid.get(v.clusterUuid)?.name ?? '?'}`

  await openShell(page, porthole)
  await page.getByRole('button', { name: 'New connection' }).click()
  const form = page.getByRole('dialog', { name: 'Add connection' })
  await form.getByText('ZStack', { exact: true }).click()
  await form.getByLabel('Name').fill('Lab ZStack')
  await form.getByLabel('ZStack address').fill(target.url)
  await form.getByLabel('User').fill(target.account)
  await form.getByLabel('Password', { exact: true }).fill(target.password)
  await form.getByText('Pin on first use').click()
  await shot(page, 'zstack-add-form')
  expect(await seriousViolations(page)).toEqual([])
  await form.getByRole('button', { name: 'Add connection' }).click()

  const prompt = page.getByRole('dialog', { name: /Trust the certificate of 127\.0\.0\.1/ })
  await expect(prompt).toBeVisible({ timeout: 10_000 })
  const fingerprint = target.certificate.sha256
  await expect(prompt).toContainText(fingerprint.slice(0, 11))
  await expect(prompt).toContainText(fingerprint.slice(-11))
  await shot(page, 'zstack-tls-prompt')
  await prompt.getByRole('button', { name: 'Trust and connect' }).click()
  await expect(prompt).toBeHidden()

  // Every user VM arrives; routers and recycled VMs do not.
  await expect(page.getByRole('tab', { name: 'VMs' })).toHaveAttribute('aria-selected', 'true')
  const count = page.getByTestId('vm-count')
  await expect(count).toHaveAttribute('data-total', String(userVms.length), { timeout: 15_000 })
  const sidebar = page.getByRole('list', { name: 'Connected inventories' })
  await expect(sidebar.getByTestId('conn-status')).toHaveText(`${userVms.length} VMs`)
  for (const v of [routers[0], destroyed[0]]) {
    if (!v) continue
    await page.getByRole('searchbox').fill(v.name)
    await expect(row(page, v.name)).toHaveCount(0)
  }
  await page.getByRole('searchbox').fill('')

  // Grouped zone / cluster: sorted by Group, the first row is in the first group by name.
  await page.getByRole('columnheader', { name: 'Group' }).getByRole('button').click()
  const groups = [...new Set(userVms.map(groupOf))].sort((a, b) => a.localeCompare(b))
  await expect(grid(page).getByRole('row').nth(1)).toContainText(groups[0] as string)
  await shot(page, 'zstack-loaded')
  // Rows are virtualized: filter to check VMs further down, one per group.
  for (const group of groups) {
    const sample = userVms.find((v) => groupOf(v) === group) as (typeof userVms)[number]
    await page.getByRole('searchbox').fill(sample.name)
    await expect(row(page, sample.name)).toContainText(group)
  }

  // Stop a running VM (a job), then start it (another job); the badge follows each job's result.
  const vm = userVms.find((v) => v.state === 'Running')
  if (!vm) throw new Error('the lab has no running VM')
  await page.getByRole('searchbox').fill(vm.name)
  await row(page, vm.name).click()
  const badge = powerCell(page, vm.name)
  const status = statusCell(page, vm.name)
  await expect(badge).toHaveText('On')
  await expect(status).toHaveText('Running')
  await expect(badge).toHaveAccessibleDescription('ZStack status: Running')
  await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Power off' }).click()
  const confirm = page.getByRole('dialog', { name: `Power off ${vm.name}?` })
  await expect(confirm).toBeVisible()
  await confirm.getByRole('button', { name: /^Power off/ }).click()
  await expect(badge).toHaveText('Off', { timeout: 10_000 })
  await expect(status).toHaveText('Stopped')
  expect(inv.vmByUuid.get(vm.uuid)?.state).toBe('Stopped')
  await shot(page, 'zstack-stopped')
  await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Power on' }).click()
  await expect(badge).toHaveText('On', { timeout: 10_000 })
  await expect(status).toHaveText('Running')
  expect(inv.vmByUuid.get(vm.uuid)?.state).toBe('Running')
  await shot(page, 'zstack-started')
  expect(target.decoyHits()).toBe(0)

  expect(pageErrors).toEqual([])
})
