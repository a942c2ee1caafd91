// OpenStack in Chromium against an OpenStack lab of its own: import two clouds (projects demo
// and ops of the same Keystone) from one clouds.yaml through the Import dialog, trust the lab's
// certificate in the TLS prompt, see both projects' servers grouped `project / region`, and stop
// and start one server (Nova changes status after a delay; the badge follows).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startOpenstackLab, type OpenstackLab } from '../../lab/openstack/simulator'
import { settle, statusOf } from '../../lab/openstack/world'
import { expect, test } from './fixtures'
import { seriousViolations } from './vault-helpers'
import { Agent, request } from 'undici'
import { grid, openShell, powerCell, row, shot, statusCell } from './vm-grid'

/** 40 servers spread over demo/ops × RegionOne/RegionTwo: 10 per project in RegionOne. */
const LAB_VMS = 40
const REGION = 'RegionOne'

let lab: OpenstackLab | undefined
let labDir: string | undefined

test.afterEach(async () => {
  await lab?.stop()
  lab = undefined
  if (labDir) fs.rmSync(labDir, { recursive: true, force: true })
  labDir = undefined
})

/** Nova's status of a server now, as the lab would answer it (pending actions land on reading). */
function novaStatus(target: OpenstackLab, id: string): string {
  const s = target.world.serverById.get(id)
  if (!s) throw new Error(`no server ${id}`)
  settle(s, Date.now())
  return statusOf(s)
}

/** Puts a server in a Nova status through the lab's control endpoint, as a demo would. */
async function setStatus(target: OpenstackLab, id: string, status: 'ERROR'): Promise<void> {
  const dispatcher = new Agent({ connect: { ca: target.certificate().cert } })
  try {
    const res = await request(`${target.url}/lab/servers/${encodeURIComponent(id)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status }),
      dispatcher,
    })
    expect(res.statusCode).toBe(200)
    await res.body.dump()
  } finally {
    await dispatcher.close()
  }
}

/** One clouds.yaml with a cloud per project, as an operator's own file would have. */
function cloudsYaml(target: OpenstackLab): string {
  const cloud = (project: string): string => `  lab-${project}:
    auth:
      auth_url: ${target.authUrl}
      username: ${target.user}
      password: "${target.password}"
      project_name: ${project}
      user_domain_name: ${target.domain}
      project_domain_name: ${target.domain}
    region_name: ${REGION}
    interface: public
    identity_api_version: 3
`
  return `clouds:\n${cloud('demo')}${cloud('ops')}`
}

/** The servers of one project in the region the profiles use, as the lab holds them. */
function serversOf(target: OpenstackLab, project: string): { id: string; name: string; status: string }[] {
  return target.world.servers.filter((s) => s.project.name === project && s.region === REGION).map((s) => ({ id: s.id, name: s.name, status: statusOf(s) }))
}

test('import two OpenStack clouds from a clouds.yaml, trust the lab, see both projects, stop and start a server', async ({ page, porthole, pageErrors }) => {
  test.setTimeout(60_000)
  labDir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-e2e-openstack-'))
  lab = await startOpenstackLab({ vms: LAB_VMS, seed: 5, dataDir: labDir, consoleBackend: 'builtin', faults: { actionDelayMs: 400, latencyMs: 5 } })
  const target = lab
  // One demo server broken in Nova's words: ERROR has no power to map, so its status must show.
  const broken = serversOf(target, 'demo').find((s) => s.status === 'ACTIVE')
  if (!broken) throw new Error('the lab has no ACTIVE demo server')
  await setStatus(target, broken.id, 'ERROR')
  const demo = serversOf(target, 'demo')
  const ops = serversOf(target, 'ops')
  expect(demo.find((s) => s.id === broken.id)?.status).toBe('ERROR')
  expect(demo.length).toBeGreaterThan(0)
  expect(ops.length).toBeGreaterThan(0)
  const total = demo.length + ops.length

  await openShell(page, porthole)

  // Import: the clouds.yaml goes in through the browser's file picker.
  await page.getByRole('button', { name: 'Import connections' }).click()
  const dlg = page.getByRole('dialog', { name: 'Import connections' })
  await dlg.getByRole('radio', { name: /A clouds.yaml file/ }).check()
  await dlg.getByLabel('clouds.yaml', { exact: true }).setInputFiles({ name: 'clouds.yaml', mimeType: 'text/yaml', buffer: Buffer.from(cloudsYaml(target)) })
  await dlg.getByRole('button', { name: 'Preview' }).click()
  const preview = page.getByRole('dialog', { name: 'Import 2 connections' })
  const items = preview.getByRole('list', { name: 'Connections found' }).getByRole('listitem')
  await expect(items).toHaveCount(2)
  await expect(items.filter({ hasText: 'lab-demo' })).toContainText('OpenStack')
  await expect(items.filter({ hasText: 'lab-ops' })).toContainText('OpenStack')
  for (const combo of await items.getByRole('combobox').all()) await expect(combo).toHaveValue('add')
  await shot(page, 'openstack-import-preview')
  expect(await seriousViolations(page)).toEqual([])
  await preview.getByRole('button', { name: 'Import 2' }).click()

  const profiles = (await porthole.api.call('profiles.list', {}))
  if (!profiles.ok) throw new Error(profiles.error.message)
  expect(profiles.value.profiles.map((p) => [p.kind, p.name, p.kind === 'vnc' ? p.host : p.endpoint]).sort()).toEqual([
    ['openstack', 'lab-demo', target.authUrl],
    ['openstack', 'lab-ops', target.authUrl],
  ])

  // Both new connections meet the lab's self-signed certificate. Pins belong to a profile, so
  // each asks once, in turn, showing the same fingerprint.
  const prompt = page.getByRole('dialog', { name: /Trust the certificate of 127\.0\.0\.1/ })
  const fingerprint = target.certificate().sha256
  for (let i = 0; i < 2; i++) {
    await expect(prompt).toBeVisible({ timeout: 10_000 })
    await expect(prompt).toContainText(fingerprint.slice(0, 11))
    await expect(prompt).toContainText(fingerprint.slice(-11))
    if (i === 0) await shot(page, 'openstack-tls-prompt')
    await prompt.getByRole('button', { name: 'Trust and connect' }).click()
  }
  await expect(prompt).toBeHidden()

  // The new connections asked while the import's summary was still open: it stays, under the prompt.
  const done = page.getByRole('dialog', { name: 'Import finished' })
  await expect(done).toContainText('Added lab-demo')
  await expect(done).toContainText('Added lab-ops')
  await done.getByRole('button', { name: 'Done' }).click()

  // Both projects' servers arrive: one trust covers both connections (same host:port).
  const sidebar = page.getByRole('list', { name: 'Connected inventories' })
  await sidebar.getByRole('button', { name: /^All VMs/ }).click()
  const count = page.getByTestId('vm-count')
  await expect(count).toHaveAttribute('data-total', String(total), { timeout: 15_000 })
  await expect(prompt).toBeHidden()
  for (const s of [demo[0], ops[0], demo.at(-1), ops.at(-1)]) {
    if (!s) continue
    await page.getByRole('searchbox').fill(s.name)
    await expect(row(page, s.name)).toBeVisible()
  }
  await page.getByRole('searchbox').fill('')

  // Grouped by project / region: sort by Group and both groups show with their own servers.
  await page.getByRole('columnheader', { name: 'Group' }).getByRole('button').click()
  await expect(grid(page).getByRole('row').nth(1).getByRole('gridcell').nth(-2)).toHaveText(`demo / ${REGION}`)
  const firstDemo = [...demo].sort((a, b) => a.name.localeCompare(b.name))[0] as { name: string }
  await expect(row(page, firstDemo.name)).toContainText(`demo / ${REGION}`)
  await page.getByRole('searchbox').fill('ops-')
  await expect(count).toHaveAttribute('data-shown', String(ops.length))
  await expect(grid(page).getByRole('row').nth(1)).toContainText(`ops / ${REGION}`)
  await page.getByRole('searchbox').fill('')
  await expect(sidebar.getByTestId('conn-status')).toHaveText([`${demo.length} VMs`, `${ops.length} VMs`])
  await shot(page, 'openstack-loaded')

  // Nova's own status is a column, and the filter finds it: ERROR (power unknown) stands out.
  await page.getByRole('searchbox').fill('ERROR')
  await expect(count).toHaveAttribute('data-shown', String([...demo, ...ops].filter((s) => s.status === 'ERROR').length))
  // With Nova's fault, in the operator's first look: why it broke.
  await expect(statusCell(page, broken.name)).toHaveText('ERROR · No valid host was found.')
  await expect(statusCell(page, broken.name).locator('.vm-status-error')).toBeVisible()
  await expect(powerCell(page, broken.name)).toHaveText('Unknown')
  await expect(powerCell(page, broken.name)).toHaveAccessibleDescription('OpenStack status: ERROR · No valid host was found.')
  await shot(page, 'openstack-error')
  await page.getByRole('searchbox').fill('')
  // Sortable by Status: descending, the last status by name comes first.
  await page.getByRole('columnheader', { name: 'Status' }).getByRole('button').click()
  await page.getByRole('columnheader', { name: 'Status' }).getByRole('button').click()
  await expect(page.getByRole('columnheader', { name: 'Status' })).toHaveAttribute('aria-sort', 'descending')
  const statuses = [...demo, ...ops].map((s) => s.status).sort().reverse()
  await expect(grid(page).getByRole('row').nth(1).getByRole('gridcell').nth(2)).toHaveText(statuses[0] as string)

  // Stop one ACTIVE ops server and start it again; Nova's status changes after the action delay.
  const vm = ops.find((s) => s.status === 'ACTIVE')
  if (!vm) throw new Error('the lab has no ACTIVE ops server')
  await page.getByRole('searchbox').fill(vm.name)
  await row(page, vm.name).click()
  const badge = powerCell(page, vm.name)
  const status = statusCell(page, vm.name)
  await expect(badge).toHaveText('On')
  await expect(status).toHaveText('ACTIVE')
  await expect(badge).toHaveAccessibleDescription('OpenStack status: ACTIVE')
  // Nova keeps the stop's task for 3 s: long enough to see it on the way and find it by the filter, on any machine.
  await target.setFaults({ actionDelayMs: 3000 })
  await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Power off' }).click()
  const confirm = page.getByRole('dialog', { name: `Power off ${vm.name}?` })
  await expect(confirm).toBeVisible()
  await shot(page, 'openstack-confirm-stop')
  await confirm.getByRole('button', { name: /^Power off/ }).click()
  await expect(status).toHaveText('ACTIVE · powering-off')
  await expect(badge).toHaveAccessibleDescription('OpenStack status: ACTIVE · powering-off')
  await page.getByRole('searchbox').fill('powering')
  await expect(count).toHaveAttribute('data-shown', '1')
  await expect(status).toHaveText('ACTIVE · powering-off')
  await shot(page, 'openstack-stopping')
  await page.getByRole('searchbox').fill(vm.name)
  await expect(badge).toHaveText('Off', { timeout: 10_000 })
  await expect(status).toHaveText('SHUTOFF')
  await expect(badge).toHaveAccessibleDescription('OpenStack status: SHUTOFF')
  expect(novaStatus(target, vm.id)).toBe('SHUTOFF')
  await shot(page, 'openstack-stopped')
  await target.setFaults({ actionDelayMs: 400 })
  await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Power on' }).click()
  await expect(badge).toHaveText('On', { timeout: 10_000 })
  await expect(status).toHaveText('ACTIVE')
  expect(novaStatus(target, vm.id)).toBe('ACTIVE')
  await shot(page, 'openstack-started')
  // The task is over: the filter finds none.
  await page.getByRole('searchbox').fill('powering')
  await expect(count).toHaveAttribute('data-shown', '0')

  expect(pageErrors).toEqual([])
})
