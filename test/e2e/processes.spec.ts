// The process viewer in Chromium against the demo lab's vCenter: open it from a VM's context
// menu, give guest credentials (a wrong password first: the dialog says so and asks again), see
// the list refresh with a new process highlighted, run a program and see its exit code, kill a
// process after confirming, copy a row, and auto-refresh pausing while the tab is hidden.
import AxeBuilder from '@axe-core/playwright'
import type { Locator, Page } from '@playwright/test'
import { GUEST_PASSWORD } from '../../lab/vsphere/guest-auth'
import { expect, saveScreenshot, test, type Porthole } from './fixtures'
import { DEMO_GUEST_VM as VM_NAME, openDemoVmMenuItem } from './vm-grid'


function processes(page: Page): Locator {
  return page.getByRole('grid', { name: 'Processes' })
}

function processRow(page: Page, pid: number): Locator {
  return processes(page).locator(`[role="row"][data-pid="${pid}"]`)
}

/** Runs a program through the dialog; returns its pid (the new row is selected). */
async function runProgram(page: Page, program: string, args: string): Promise<number> {
  await page.getByRole('button', { name: 'Run program…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Run program' })
  await dialog.getByLabel('Program').fill(program)
  await dialog.getByLabel('Arguments').fill(args)
  await dialog.getByRole('button', { name: 'Run' }).click()
  await expect(dialog).toHaveCount(0)
  const selected = processes(page).locator('[role="row"][aria-selected="true"]')
  await expect(selected).toHaveCount(1)
  return Number(await selected.getAttribute('data-pid'))
}

test('process viewer on a demo VM: credentials, live list, run, exit code, kill, copy', async ({ page, porthole, pageErrors, context }) => {
  test.setTimeout(90_000)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: porthole.origin })
  await openDemoVmMenuItem(page, porthole, 'Processes…')

  // No credentials yet: the dialog asks. A wrong password is refused and the dialog asks again.
  const ask = page.getByRole('dialog', { name: `Guest credentials for ${VM_NAME}` })
  await expect(ask).toBeVisible()
  await expect(page.getByRole('tab', { name: /Processes · dns-prod-01/ })).toHaveAttribute('aria-selected', 'true')
  // A VM of the demo lab: the dialog says where its guests' credentials are published.
  await expect(ask).toContainText('Demo lab guests: user root (Linux)')
  await ask.getByLabel('Guest user').fill('root')
  await ask.getByLabel('Guest password').fill('not-the-password')
  await ask.getByRole('button', { name: 'Sign in' }).click()
  await expect(ask.getByRole('alert')).toContainText('The guest refused these credentials')
  // The user name is kept; only the password is asked again.
  await expect(ask.getByLabel('Guest user')).toHaveValue('root')
  await expect(ask.getByLabel('Guest password')).toHaveValue('')
  await saveScreenshot(page, 'processes-credentials-refused')
  await ask.getByLabel('Guest password').fill(GUEST_PASSWORD)
  await ask.getByLabel('Remember in the vault for this VM').check()
  await ask.getByRole('button', { name: 'Sign in' }).click()
  await expect(ask).toHaveCount(0)

  // The list: systemd is pid 1, the status line counts them and says who we are.
  await expect(processRow(page, 1)).toContainText('systemd')
  await expect(page.getByTestId('processes-status')).toContainText('as root')
  const status = await porthole.api.call('guest.credentials.status', { vm: { connectionId: (await demoConnection(porthole)), id: 'vm-1004' } })
  expect(status.ok && status.value).toMatchObject({ known: true, remembered: true, type: 'password', user: 'root' })
  // The renderer learns who and whether (and, for the demo, where its published credentials are), never a secret field.
  expect(Object.keys(status.ok ? status.value : {}).sort()).toEqual(['hint', 'known', 'remembered', 'type', 'user'])

  // Auto-refresh every 2 s: a short-lived process appears, highlighted as new.
  const fresh = processes(page).locator('[role="row"][data-change="new"]').first()
  await expect(fresh).toBeVisible({ timeout: 15_000 })
  await saveScreenshot(page, 'processes-new-highlight')

  // Run a program: it is listed as ours at once; its exit code appears when it ends.
  const sleeper = await runProgram(page, '/usr/bin/sleep', '2')
  await expect(processRow(page, sleeper)).toContainText('ours')
  await expect(processRow(page, sleeper).locator('.process-exit')).toHaveText('0', { timeout: 10_000 })
  const failing = await runProgram(page, '/bin/sh', '-c "sleep 1; exit 3"')
  await expect(processRow(page, failing).locator('.process-exit')).toHaveText('3', { timeout: 10_000 })
  await saveScreenshot(page, 'processes-exit-code')

  // Kill, confirmed: a long sleep ends with TERM's exit code.
  const victim = await runProgram(page, '/usr/bin/sleep', '300')
  await page.getByRole('button', { name: 'Kill…' }).click()
  const confirm = page.getByRole('dialog', { name: `Kill sleep (${victim})?` })
  await expect(confirm).toContainText('"/usr/bin/sleep" 300')
  await saveScreenshot(page, 'processes-kill-confirm')
  await confirm.getByRole('button', { name: 'Kill process' }).click()
  await expect(confirm).toHaveCount(0)
  await expect(processRow(page, victim).locator('.process-exit')).toHaveText('143', { timeout: 10_000 })

  // Copy the selected row (tab-separated).
  await page.getByRole('button', { name: 'Copy' }).click()
  await expect(page.getByText(`Copied process ${victim}.`)).toBeVisible()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(new RegExp(`^${victim}\\tsleep\\troot\\t"/usr/bin/sleep" 300\\t`))

  // Sort by PID descending, filter by name.
  await page.getByRole('columnheader', { name: 'PID' }).getByRole('button').click()
  await expect(page.getByRole('columnheader', { name: 'PID' })).toHaveAttribute('aria-sort', 'descending')
  await page.getByRole('searchbox', { name: 'Filter processes' }).fill('systemd-')
  await expect(page.getByTestId('process-count')).toContainText(/^\d+ of \d+ processes$/)
  const names = await processes(page).locator('[role="row"][data-pid] >> nth=0').textContent()
  expect(names).toContain('systemd-')
  await page.getByRole('searchbox', { name: 'Filter processes' }).fill('')
  await saveScreenshot(page, 'processes-sorted')

  // Hidden tab: auto-refresh pauses; back in view it runs again. Off is off.
  await page.getByRole('tab', { name: 'VMs' }).click()
  await expect(page.getByTestId('refresh-state')).toHaveText('Paused while hidden')
  await page.getByRole('tab', { name: /Processes · dns-prod-01/ }).click()
  await expect(page.getByTestId('refresh-state')).toHaveText('Every 2 s')
  // The window hidden (minimized, another desktop): paused too.
  const setVisibility = (state: 'hidden' | 'visible') =>
    page.evaluate((value) => {
      Object.defineProperty(document, 'visibilityState', { value, configurable: true })
      document.dispatchEvent(new Event('visibilitychange'))
    }, state)
  await setVisibility('hidden')
  await expect(page.getByTestId('refresh-state')).toHaveText('Paused while hidden')
  await setVisibility('visible')
  await expect(page.getByTestId('refresh-state')).toHaveText('Every 2 s')

  // The same in the dark theme: highlights and the ended exit codes stay readable.
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect(processes(page).locator('[role="row"][data-change]').first()).toBeVisible({ timeout: 15_000 })
  await saveScreenshot(page, 'processes-dark')
  await page.getByLabel('Auto-refresh').selectOption('0')
  await expect(page.getByTestId('refresh-state')).toHaveText('Auto-refresh off')

  const a11y = await new AxeBuilder({ page }).include('.processes').analyze()
  expect(a11y.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
  expect(pageErrors).toEqual([])
})

test('cancelling the credentials dialog leaves a "Sign in…" button that asks again', async ({ page, porthole, pageErrors }) => {
  test.setTimeout(60_000)
  await openDemoVmMenuItem(page, porthole, 'Processes…')
  const ask = page.getByRole('dialog', { name: `Guest credentials for ${VM_NAME}` })
  await ask.getByRole('button', { name: 'Cancel' }).click()
  await expect(page.getByRole('alert')).toContainText('needs the guest credentials')
  await page.getByRole('button', { name: 'Sign in…' }).click()
  await ask.getByLabel('Guest user').fill('root')
  await ask.getByLabel('Guest password').fill(GUEST_PASSWORD)
  await ask.getByRole('button', { name: 'Sign in' }).click()
  await expect(processRow(page, 1)).toContainText('systemd')
  // writeText can reject (an unfocused document, a refused clipboard-sanitized-write permission):
  // Copy must still work through the selection fallback.
  await page.context().grantPermissions(['clipboard-read'], { origin: porthole.origin })
  await page.evaluate(() => {
    Object.defineProperty(navigator.clipboard, 'writeText', { value: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')) })
  })
  await processRow(page, 1).click()
  await page.getByRole('button', { name: 'Copy' }).click()
  await expect(page.getByText('Copied process 1.')).toBeVisible()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^1\tsystemd\troot\t\/sbin\/init splash\t/)

  // Switch user: the dialog again, with the user name known; the list is taken as the new one.
  await page.getByRole('button', { name: 'Switch user…' }).click()
  await expect(ask.getByLabel('Guest user')).toHaveValue('root')
  await ask.getByLabel('Guest user').fill('demo')
  await ask.getByLabel('Guest password').fill(GUEST_PASSWORD)
  await ask.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByTestId('processes-status')).toContainText('as demo')

  // Not remembered: nothing was saved in the vault.
  const status = await porthole.api.call('guest.credentials.status', { vm: { connectionId: await demoConnection(porthole), id: 'vm-1004' } })
  expect(status.ok && status.value).toMatchObject({ known: true, remembered: false, user: 'demo' })
  expect(pageErrors).toEqual([])
})

async function demoConnection(porthole: Porthole): Promise<string> {
  const profiles = await porthole.api.call('profiles.list', {})
  if (!profiles.ok) throw new Error(profiles.error.message)
  const demo = profiles.value.profiles.find((p) => p.name === 'Demo vCenter')
  if (!demo) throw new Error('no demo profile')
  return demo.id
}
