import fs from 'node:fs'
import path from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { startVsphereLab, type VsphereLab } from '../../lab/vsphere/simulator'
import { canaryLeaks } from '../../main/services/profiles/canary'
import { MASTER_PASSWORD, expect, saveScreenshot, test, type Porthole } from './fixtures'
import { expectShell, focusedId, hostCall, lockScreen, openPage, recordReceivedFrames, seriousViolations } from './vault-helpers'

// Every made-up server is 127.0.0.1:9 (discard: nothing listens there), so whatever tries to connect
// to a saved profile (the inventory does, as soon as one is added) never leaves this machine.

/** Stored as the ZStack profile's password in the main flow; must never come back to the page, the log or settings. */
const CANARY = 'canary-Zq8#wT3!pL0x-never-leaves-main'

test.afterEach(({ pageErrors }) => {
  expect(pageErrors).toEqual([])
})

function dialog(page: Page, name: string | RegExp): Locator {
  return page.getByRole('dialog', { name })
}

function rows(page: Page): Locator {
  return page.getByRole('list', { name: 'Connections' }).getByRole('listitem')
}

/** A connection row's own button (not its "Actions for …" button). */
function row(page: Page, name: string): Locator {
  return rows(page).getByRole('button', { name: new RegExp(`^${name.replace(/[()]/g, '\\$&')}`) })
}

function focusedRowName(page: Page): Promise<string> {
  return page.evaluate(() => (document.activeElement as HTMLElement | null)?.querySelector('.connection-name')?.textContent ?? '')
}

/** Shift+Tabs from the workspace (where unlocking leaves the focus) to the connection list: one Tab stop (roving focus). */
async function tabToConnections(page: Page): Promise<void> {
  for (let i = 0; i < 12; i++) {
    if (await page.evaluate(() => document.activeElement?.classList.contains('connection') ?? false)) return
    await page.keyboard.press('Shift+Tab')
  }
  throw new Error('Tab never reached the connection list')
}

/** Stops the lab without waiting out the host's kept-alive connections (30 s). */
async function stopLab(lab: VsphereLab): Promise<void> {
  lab.server.closeAllConnections()
  await lab.stop()
}

async function labFor(porthole: Porthole): Promise<VsphereLab> {
  return startVsphereLab({ vms: 3, seed: 11, dataDir: path.join(porthole.dataDir, 'lab') })
}

test.describe('keyboard only', () => {
  test.use({ vaultAtStart: 'absent' })

  test('create the vault, add one connection of each kind, trust a certificate, lock, unlock, edit, delete', async ({ page, porthole }) => {
    test.setTimeout(60_000)
    const frames = recordReceivedFrames(page)
    const lab = await labFor(porthole)
    try {
      await openPage(page, porthole)

      // First run.
      await expect.poll(() => focusedId(page)).toBe('vault-new-password')
      await page.keyboard.type(MASTER_PASSWORD)
      await page.keyboard.press('Tab')
      await page.keyboard.type(MASTER_PASSWORD)
      await page.keyboard.press('Tab')
      await page.keyboard.press('Space')
      await page.keyboard.press('Tab')
      await page.keyboard.press('Enter')
      await expectShell(page)

      // vCenter (the lab), trusting its certificate on first use.
      await page.keyboard.press('Control+n')
      const add = dialog(page, 'Add connection')
      await expect(add.getByRole('radio', { name: 'vCenter' })).toBeFocused()
      await page.keyboard.press('Tab')
      await expect(add.getByLabel('Name', { exact: true })).toBeFocused()
      await page.keyboard.type('Lab vCenter')
      await page.keyboard.press('Tab')
      await page.keyboard.type(lab.url)
      await page.keyboard.press('Tab')
      await page.keyboard.type(lab.user)
      await page.keyboard.press('Tab')
      await expect(add.getByLabel('Password', { exact: true })).toBeFocused()
      await page.keyboard.type(lab.password)
      await page.keyboard.press('Tab')
      await expect(add.getByRole('radio', { name: /System certificate authorities/ })).toBeFocused()
      await page.keyboard.press('ArrowDown')
      await expect(add.getByLabel('CA file (absolute path)')).toBeVisible()
      await page.keyboard.press('ArrowDown')
      await expect(add.getByRole('radio', { name: /Pin on first use/ })).toBeChecked()
      await saveScreenshot(page, 'profiles-add-vsphere')
      await page.keyboard.press('Shift+Tab')
      await page.keyboard.press('Enter')
      await expect(add).toHaveCount(0)
      await expect(rows(page)).toHaveText([/Lab vCenter/])

      // Its self-signed certificate is shown before anything is sent: when the inventory connects to the
      // new connection on its own, or (if the new row still has the focus) when Ctrl+T tests it.
      const prompt = dialog(page, /Trust the certificate of 127\.0\.0\.1:\d+\?/)
      await expect.poll(async () => (await prompt.isVisible()) || (await focusedRowName(page)) === 'Lab vCenter').toBe(true)
      if (!(await prompt.isVisible())) await page.keyboard.press('Control+t')
      await expect(prompt).toBeVisible()
      await expect(prompt.getByRole('button', { name: 'Cancel' })).toBeFocused()
      await expect(prompt.getByRole('group', { name: 'SHA-256 fingerprint' })).toContainText(lab.certificate().sha256.slice(0, 11))
      await saveScreenshot(page, 'profiles-tls-unknown')
      await page.keyboard.press('Tab')
      await expect(prompt.getByRole('button', { name: 'Trust and connect' })).toBeFocused()
      await page.keyboard.press('Enter')
      await expect(prompt).toHaveCount(0)
      const vcenterId = (await hostCall(porthole, 'profiles.list', {})).profiles[0]!.id
      await expect.poll(async () => (await hostCall(porthole, 'tls.pins', { profileId: vcenterId })).pins.map((p) => p.fingerprint256)).toEqual([lab.certificate().sha256])

      // OpenStack with a password login: the kind picker takes the arrow keys.
      await page.keyboard.press('Control+n')
      await page.keyboard.press('ArrowRight')
      await expect(add.getByRole('radio', { name: 'OpenStack' })).toBeChecked()
      await page.keyboard.press('Tab')
      await page.keyboard.type('Ops cloud')
      await page.keyboard.press('Tab')
      await page.keyboard.type('https://127.0.0.1:9/identity/v3')
      await page.keyboard.press('Tab')
      await expect(add.getByRole('radio', { name: 'User name and password' })).toBeFocused()
      await page.keyboard.press('Tab')
      await page.keyboard.type('alice')
      await page.keyboard.press('Tab')
      await page.keyboard.type('Default')
      await page.keyboard.press('Tab')
      await expect(add.getByLabel('Project', { exact: true })).toBeFocused()
      await page.keyboard.type('ops')
      await page.keyboard.press('Tab')
      await page.keyboard.press('Tab')
      await expect(add.getByLabel('Region (optional)')).toBeFocused()
      await page.keyboard.type('RegionOne')
      await page.keyboard.press('Tab')
      await expect(add.getByLabel('Interface')).toBeFocused()
      await page.keyboard.press('Tab')
      await page.keyboard.press('Tab')
      await expect(add.getByLabel('Password', { exact: true })).toBeFocused()
      await page.keyboard.type('openstack-pw')
      await saveScreenshot(page, 'profiles-add-openstack')
      await page.keyboard.press('Enter')
      await expect(add).toHaveCount(0)

      // ZStack, whose password is the canary.
      await page.keyboard.press('Control+n')
      await page.keyboard.press('ArrowRight')
      await page.keyboard.press('ArrowRight')
      await expect(add.getByRole('radio', { name: 'ZStack' })).toBeChecked()
      await page.keyboard.press('Tab')
      await page.keyboard.type('Zone A')
      await page.keyboard.press('Tab')
      await page.keyboard.type('https://127.0.0.1:9/zstack')
      await page.keyboard.press('Tab')
      await page.keyboard.type('admin')
      await page.keyboard.press('Tab')
      await page.keyboard.type(CANARY)
      await saveScreenshot(page, 'profiles-add-zstack')
      await page.keyboard.press('Enter')
      await expect(add).toHaveCount(0)

      // VNC: host and port, no password.
      await page.keyboard.press('Control+n')
      await page.keyboard.press('ArrowLeft')
      await expect(add.getByRole('radio', { name: 'VNC' })).toBeChecked()
      await page.keyboard.press('Tab')
      await page.keyboard.type('Build console')
      await page.keyboard.press('Tab')
      await page.keyboard.type('127.0.0.1')
      await page.keyboard.press('Tab')
      await page.keyboard.press('Control+a')
      await page.keyboard.type('5901')
      await saveScreenshot(page, 'profiles-add-vnc')
      await page.keyboard.press('Enter')
      await expect(add).toHaveCount(0)

      await expect(rows(page)).toHaveText([/Build console/, /Lab vCenter/, /Ops cloud/, /Zone A/])
      await expect(rows(page).nth(0)).toContainText('127.0.0.1:5901')
      await expect(rows(page).nth(2)).toContainText('127.0.0.1:9')
      const saved = await hostCall(porthole, 'profiles.list', {})
      expect(saved.profiles.map((p) => [p.kind, p.name, p.hasSecret]).sort()).toEqual([
        ['openstack', 'Ops cloud', true],
        ['vnc', 'Build console', false],
        ['vsphere', 'Lab vCenter', true],
        ['zstack', 'Zone A', true],
      ])
      expect(saved.profiles.find((p) => p.kind === 'openstack')).toMatchObject({ user: 'alice', userDomainName: 'Default', projectName: 'ops', region: 'RegionOne', interface: 'public' })
      await saveScreenshot(page, 'profiles-list')

      // Test the vCenter: its certificate is pinned now, so the login goes straight through.
      await expect.poll(() => focusedRowName(page)).toBe('Build console')
      await page.keyboard.press('ArrowDown')
      await expect.poll(() => focusedRowName(page)).toBe('Lab vCenter')
      await page.keyboard.press('Control+t')
      await expect(page.getByTestId('notice').filter({ hasText: '“Lab vCenter” works' }).first()).toBeVisible({ timeout: 15_000 })
      await expect(prompt).toHaveCount(0)

      // Lock and unlock.
      await page.keyboard.press('Control+Shift+L')
      await expect(lockScreen(page).getByLabel('Master password', { exact: true })).toBeFocused()
      await expect(page.getByText('Lab vCenter')).toHaveCount(0)
      await page.keyboard.type(MASTER_PASSWORD)
      await page.keyboard.press('Enter')
      await expect(rows(page)).toHaveCount(4)
      await expect(page.getByRole('main')).toBeFocused()

      // Edit: arrows to the row, Enter opens it; the secret is write-only.
      await tabToConnections(page)
      await page.keyboard.press('Home')
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('ArrowDown')
      await expect.poll(() => focusedRowName(page)).toBe('Ops cloud')
      await page.keyboard.press('Enter')
      const edit = dialog(page, 'Edit “Ops cloud”')
      await expect(edit.getByLabel('Name', { exact: true })).toBeFocused()
      await expect(edit.getByLabel('Password', { exact: true })).toHaveValue('')
      await expect(edit.getByLabel('Password', { exact: true })).toHaveAttribute('placeholder', '•••••• stored — leave blank to keep')
      await saveScreenshot(page, 'profiles-edit')
      await page.keyboard.press('Control+a')
      await page.keyboard.type('Ops cloud (prod)')
      await page.keyboard.press('Enter')
      await expect(edit).toHaveCount(0)
      await expect.poll(() => focusedRowName(page)).toBe('Ops cloud (prod)')
      const edited = (await hostCall(porthole, 'profiles.list', {})).profiles.find((p) => p.kind === 'openstack')
      expect(edited).toMatchObject({ name: 'Ops cloud (prod)', hasSecret: true, projectName: 'ops' })

      // Delete asks first, naming the profile; Cancel has the focus.
      await page.keyboard.press('Delete')
      const confirm = dialog(page, 'Delete “Ops cloud (prod)”?')
      await expect(confirm).toContainText('Ops cloud (prod)')
      await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused()
      await saveScreenshot(page, 'profiles-delete')
      await page.keyboard.press('Tab')
      await expect(confirm.getByRole('button', { name: 'Delete connection' })).toBeFocused()
      await page.keyboard.press('Enter')
      await expect(rows(page)).toHaveText([/Build console/, /Lab vCenter/, /Zone A/])
      // The focus moves to the row that took its place.
      await expect.poll(() => focusedRowName(page)).toBe('Zone A')
      expect((await hostCall(porthole, 'profiles.list', {})).profiles).toHaveLength(3)

      // The canary went to main once (in a request) and never came back, nor reached the disk in the clear.
      const received = frames.join('\n')
      expect(received).toContain('Zone A')
      expect(canaryLeaks(received, CANARY)).toEqual([])
      for (const name of ['main.log', 'settings.json', 'vault.json']) {
        const file = path.join(porthole.dataDir, name)
        if (fs.existsSync(file)) expect(canaryLeaks(fs.readFileSync(file), CANARY), name).toEqual([])
      }
      expect(fs.existsSync(path.join(porthole.dataDir, 'main.log'))).toBe(true)
    } finally {
      await stopLab(lab)
    }
  })
})

test('the form says what is wrong at each field, CONFLICT lands on the name, and it passes axe in both themes', async ({ page, porthole }) => {
  await hostCall(porthole, 'profiles.add', { kind: 'vnc', name: 'Taken', host: '127.0.0.1', port: 5900 })
  await openPage(page, porthole)
  await expectShell(page)
  await page.getByRole('tabpanel', { name: 'Home' }).getByRole('button', { name: 'Add connection' }).click()
  const add = dialog(page, 'Add connection')
  await add.getByRole('button', { name: 'Add connection' }).click()
  await expect(add.getByLabel('Name', { exact: true })).toBeFocused()
  await expect(add.getByLabel('Name', { exact: true })).toHaveAccessibleDescription('Required.')
  await expect(add.getByLabel('vCenter address')).toHaveAttribute('aria-invalid', 'true')
  await expect(add.getByLabel('User')).toHaveAccessibleDescription('Required.')
  await expect(add.getByLabel('Password', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await add.getByLabel('vCenter address').fill('vcenter.example.com')
  await add.getByRole('button', { name: 'Add connection' }).click()
  await expect(add.getByText('Enter an address such as https://vcenter.example.com', { exact: false })).toBeVisible()
  await saveScreenshot(page, 'profiles-form-errors')
  expect(await seriousViolations(page)).toEqual([])

  await hostCall(porthole, 'settings.set', { theme: 'dark' })
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  expect(await seriousViolations(page)).toEqual([])
  await saveScreenshot(page, 'profiles-form-errors-dark')

  // OpenStack's own rule from the contract: a password login needs a project.
  await add.locator('label').filter({ hasText: 'OpenStack' }).click()
  await add.getByLabel('Name', { exact: true }).fill('Cloud')
  await add.getByLabel('Keystone auth URL').fill('https://127.0.0.1:9/identity/v3')
  await add.getByLabel('User', { exact: true }).fill('alice')
  await add.getByLabel('Password', { exact: true }).fill('pw')
  await add.getByLabel('Password', { exact: true }).press('Enter')
  await expect(add.getByLabel('Project', { exact: true })).toBeFocused()
  await expect(add.getByLabel('Project', { exact: true })).toHaveAccessibleDescription(/needs a project/)
  await saveScreenshot(page, 'profiles-add-openstack-dark')

  // CONFLICT from main, on the name field.
  await add.locator('label').filter({ hasText: 'VNC' }).click()
  await add.getByLabel('Name', { exact: true }).fill('taken')
  await add.getByLabel('Host').fill('127.0.0.1')
  await add.getByLabel('Host').press('Enter')
  await expect(add.getByLabel('Name', { exact: true })).toBeFocused()
  await expect(add.getByLabel('Name', { exact: true })).toHaveAccessibleDescription('A profile named "taken" already exists.')
  await hostCall(porthole, 'settings.set', { theme: 'light' })
  expect(await seriousViolations(page)).toEqual([])
  await page.keyboard.press('Escape')
  await expect(add).toHaveCount(0)
})

test('edit keeps a secret unless told; "Clear secret" removes it', async ({ page, porthole }) => {
  const p = await hostCall(porthole, 'profiles.add', { kind: 'zstack', name: 'Zone B', endpoint: 'https://127.0.0.1:9/zone-b', user: 'admin', trust: { mode: 'system' }, secret: 'old-secret' })
  await openPage(page, porthole)
  await row(page, 'Zone B').dblclick()
  const edit = dialog(page, 'Edit “Zone B”')
  const clear = edit.getByRole('checkbox', { name: 'Clear the stored password' })
  await clear.check()
  await expect(edit.getByLabel('Password', { exact: true })).toHaveAttribute('placeholder', 'Will be removed')
  await edit.getByRole('button', { name: 'Save' }).click()
  await expect(edit).toHaveCount(0)
  expect((await hostCall(porthole, 'profiles.get', { id: p.id })).hasSecret).toBe(false)

  await row(page, 'Zone B').press('F2')
  await expect(edit.getByRole('checkbox', { name: 'Clear the stored password' })).toHaveCount(0)
  await edit.getByLabel('Password', { exact: true }).fill('new-secret')
  await edit.getByLabel('Password', { exact: true }).press('Enter')
  await expect(edit).toHaveCount(0)
  expect((await hostCall(porthole, 'profiles.get', { id: p.id })).hasSecret).toBe(true)
})

test('the row menu: duplicate, test (a failure says why, with its code), delete', async ({ page, porthole }) => {
  await hostCall(porthole, 'profiles.add', { kind: 'vnc', name: 'Rack 4 KVM', host: '127.0.0.1', port: 9 })
  await openPage(page, porthole)
  const kvm = row(page, 'Rack 4 KVM')
  await kvm.focus()
  await page.keyboard.press('Shift+F10')
  const menu = page.getByRole('menu', { name: 'Actions for Rack 4 KVM' })
  await expect(menu.getByRole('menuitem', { name: /Edit/ })).toBeFocused()
  await saveScreenshot(page, 'profiles-menu')
  await page.keyboard.press('ArrowDown')
  await expect(menu.getByRole('menuitem', { name: /Duplicate/ })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(rows(page)).toHaveText([/Rack 4 KVM/, /Rack 4 KVM \(copy\)/])
  await expect.poll(() => focusedRowName(page)).toBe('Rack 4 KVM (copy)')

  // Escape closes the menu and gives the row its focus back.
  await page.keyboard.press('Shift+F10')
  await expect(menu.or(page.getByRole('menu'))).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByRole('menu')).toHaveCount(0)
  await expect.poll(() => focusedRowName(page)).toBe('Rack 4 KVM (copy)')

  await page.keyboard.press('Control+t')
  const notice = page.getByTestId('notice').filter({ hasText: 'Testing “Rack 4 KVM (copy)” failed' })
  await expect(notice).toBeVisible({ timeout: 20_000 })
  // Nothing listens on 127.0.0.1:9: the notice names the failure by its contract code.
  await expect(notice.locator('code')).toHaveText(/^[A-Z_]+$/, { timeout: 20_000 })

  await rows(page).getByRole('button', { name: 'Actions for Rack 4 KVM (copy)' }).click({ force: true })
  await page.getByRole('menuitem', { name: /Delete/ }).click()
  await dialog(page, 'Delete “Rack 4 KVM (copy)”?').getByRole('button', { name: 'Delete connection' }).click()
  await expect(rows(page)).toHaveText([/Rack 4 KVM/])
})

test('a changed certificate: both fingerprints, a strong warning, and no one-click accept', async ({ page, porthole }) => {
  const lab = await labFor(porthole)
  try {
    const p = await hostCall(porthole, 'profiles.add', { kind: 'vsphere', name: 'Lab', endpoint: lab.url, user: lab.user, secret: lab.password, trust: { mode: 'pinned' } })
    const first = lab.certificate().sha256
    await openPage(page, porthole)
    const lab1 = row(page, 'Lab')
    // The inventory may connect to it on its own as the page opens; Ctrl+T on the row asks too. Either way one prompt.
    await lab1.focus()
    await page.keyboard.press('Control+t')
    await dialog(page, /Trust the certificate/).getByRole('button', { name: 'Trust and connect' }).click()
    await expect.poll(async () => (await hostCall(porthole, 'tls.pins', { profileId: p.id })).pins.map((x) => x.fingerprint256)).toEqual([first])
    await expect(dialog(page, /certificate/)).toHaveCount(0)

    await lab.setFaults({ rotateCertificate: true })
    // The next connection gets the new certificate (a kept-alive socket would still speak with the old one).
    lab.server.closeAllConnections()
    const second = lab.certificate().sha256
    expect(second).not.toBe(first)
    await lab1.focus()
    await page.keyboard.press('Control+t')
    const prompt = dialog(page, /The certificate of 127\.0\.0\.1:\d+ has changed/)
    await expect(prompt).toBeVisible()
    await expect(prompt.getByRole('alert')).toContainText('This is not the certificate you trusted before.')
    await expect(prompt.getByRole('group', { name: 'Pinned SHA-256 fingerprint' })).toContainText(first.slice(0, 11))
    await expect(prompt.getByRole('group', { name: 'New SHA-256 fingerprint' })).toContainText(second.slice(0, 11))
    // The safe answer has the focus; there is no "Trust" button, only a step towards replacing.
    await expect(prompt.getByRole('button', { name: 'Keep the pinned certificate' })).toBeFocused()
    await expect(prompt.getByRole('button', { name: 'Trust and connect' })).toHaveCount(0)
    await saveScreenshot(page, 'profiles-tls-changed')
    expect(await seriousViolations(page)).toEqual([])

    // Declining is quiet and changes nothing.
    await page.keyboard.press('Enter')
    await expect(prompt).toHaveCount(0)
    await expect(page.getByTestId('notice').filter({ hasText: 'Testing “Lab” failed' })).toHaveCount(0)
    expect((await hostCall(porthole, 'tls.pins', { profileId: p.id })).pins.map((x) => x.fingerprint256)).toEqual([first])

    await hostCall(porthole, 'settings.set', { theme: 'dark' })
    await lab1.focus()
    await page.keyboard.press('Control+t')
    await prompt.getByRole('button', { name: 'Replace pinned certificate…' }).click()
    const typed = prompt.getByLabel(/type the last four characters/)
    await expect(typed).toBeFocused()
    // Without the confirmation nothing is trusted: the button says it is not ready, Enter explains.
    await expect(prompt.getByRole('button', { name: 'Replace and connect' })).toHaveAttribute('aria-disabled', 'true')
    await typed.press('Enter')
    await expect(prompt.getByRole('alert').filter({ hasText: 'to confirm' })).toBeVisible()
    await saveScreenshot(page, 'profiles-tls-changed-confirm-dark')
    expect(await seriousViolations(page)).toEqual([])
    await typed.fill(second.replace(/:/g, '').slice(-4).toLowerCase())
    await prompt.getByRole('button', { name: 'Replace and connect' }).click()
    await expect(prompt).toHaveCount(0)
    await expect.poll(async () => (await hostCall(porthole, 'tls.pins', { profileId: p.id })).pins.map((x) => x.fingerprint256)).toEqual([second])
    await expect(page.getByTestId('notice').filter({ hasText: '“Lab” works' }).first()).toBeVisible({ timeout: 15_000 })
  } finally {
    await stopLab(lab)
  }
})

const CLOUDS_YAML = `clouds:
  ops:
    auth:
      auth_url: https://127.0.0.1:9/identity/v3
      username: alice
      password: yaml-password-1
      project_name: ops
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
    interface: internal
  appcred:
    auth_type: v3applicationcredential
    auth:
      auth_url: https://127.0.0.1:9/lab/v3
      application_credential_id: 4f1c0a
      application_credential_secret: yaml-secret-2
    verify: false
`

test('import a clouds.yaml: preview with notes and conflicts, one decision per item', async ({ page, porthole }) => {
  const existing = await hostCall(porthole, 'profiles.add', {
    kind: 'openstack',
    name: 'ops',
    endpoint: 'https://127.0.0.1:9/old/v3',
    user: 'bob',
    projectName: 'old',
    authType: 'password',
    trust: { mode: 'system' },
    secret: 'old',
  })
  const file = path.join(porthole.dataDir, 'clouds.yaml')
  fs.writeFileSync(file, CLOUDS_YAML)
  await openPage(page, porthole)
  await page.getByRole('button', { name: 'Import connections' }).click()
  const dlg = dialog(page, 'Import connections')
  await expect(dlg.getByRole('radio', { name: /A clouds.yaml file/ })).toBeFocused()
  await dlg.getByLabel('clouds.yaml', { exact: true }).setInputFiles(file)
  await dlg.getByRole('button', { name: 'Preview' }).click()
  const preview = dialog(page, 'Import 2 connections')
  const items = preview.getByRole('list', { name: 'Connections found' }).getByRole('listitem')
  await expect(items).toHaveCount(2)
  const ops = items.filter({ hasText: 'Same name as “ops”' })
  await expect(ops).toBeVisible()
  // A conflicting item starts as Skip, and only it can Replace.
  const opsDecision = ops.getByRole('combobox')
  await expect(opsDecision).toHaveValue('skip')
  await expect(opsDecision.locator('option')).toHaveText(['Skip', 'Add', 'Replace existing'])
  const other = items.filter({ hasNotText: 'Same name' })
  await expect(other.getByRole('combobox').locator('option')).toHaveText(['Skip', 'Add'])
  await expect(other).toContainText('verify') // the note about verify: false
  await opsDecision.selectOption('replace')
  await saveScreenshot(page, 'profiles-import-preview')
  expect(await seriousViolations(page)).toEqual([])
  await preview.getByRole('button', { name: 'Import 2' }).click()
  const done = dialog(page, 'Import finished')
  await expect(done).toContainText('Replaced')
  await expect(done).toContainText('Added')
  await done.getByRole('button', { name: 'Done' }).click()
  const after = (await hostCall(porthole, 'profiles.list', {})).profiles
  expect(after).toHaveLength(2)
  expect(after.find((p) => p.id === existing.id)).toMatchObject({ name: 'ops', endpoint: 'https://127.0.0.1:9/identity/v3', user: 'alice', interface: 'internal' })
  await expect(rows(page)).toHaveCount(2)
})

test("import from clouds.yaml in the usual places (the openstack CLI's search path)", async ({ page, porthole }) => {
  const dir = path.join(porthole.dataDir, 'home', '.config', 'openstack')
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'clouds.yaml'), CLOUDS_YAML)
  await openPage(page, porthole)
  await page.getByRole('button', { name: 'Import connections' }).click()
  const dlg = dialog(page, 'Import connections')
  await dlg.getByRole('radio', { name: /clouds.yaml in the usual places/ }).check()
  await dlg.getByRole('button', { name: 'Preview' }).click()
  const preview = dialog(page, 'Import 2 connections')
  // Paths under the home folder are shown as ~/…
  await expect(preview).toContainText('~/.config/openstack/clouds.yaml')
  await preview.getByRole('button', { name: 'Import 2' }).click()
  await dialog(page, 'Import finished').getByRole('button', { name: 'Done' }).click()
  await expect(rows(page)).toHaveText([/appcred/, /ops/])
})

test.describe('environment', () => {
  test.use({ importEnv: { GOVC_URL: 'https://127.0.0.1:9/sdk', GOVC_USERNAME: 'operator@vsphere.local', GOVC_PASSWORD: 'env-password-1' } })

  test('import from environment variables', async ({ page, porthole }) => {
    await openPage(page, porthole)
    await page.getByRole('button', { name: 'Import connections' }).click()
    const dlg = dialog(page, 'Import connections')
    await dlg.getByRole('radio', { name: /Environment variables/ }).check()
    await dlg.getByRole('button', { name: 'Preview' }).click()
    const preview = dialog(page, 'Import 1 connection')
    await expect(preview).toContainText('127.0.0.1:9')
    await preview.getByRole('button', { name: 'Import 1' }).click()
    await dialog(page, 'Import finished').getByRole('button', { name: 'Done' }).click()
    const [p] = (await hostCall(porthole, 'profiles.list', {})).profiles
    expect(p).toMatchObject({ kind: 'vsphere', user: 'operator@vsphere.local', hasSecret: true })
  })
})

test('export: choose connections, a password twice, save the encrypted file; it imports back', async ({ page, porthole }) => {
  await hostCall(porthole, 'profiles.add', { kind: 'vnc', name: 'One', host: '127.0.0.1', port: 5900, secret: 'vnc-1' })
  await hostCall(porthole, 'profiles.add', { kind: 'vnc', name: 'Two', host: '127.0.0.1', port: 5901 })
  await openPage(page, porthole)
  await page.getByRole('button', { name: 'Export connections' }).click()
  const dlg = dialog(page, 'Export connections')
  await expect(dlg.getByLabel('Export password', { exact: true })).toBeFocused()
  await dlg.getByRole('checkbox', { name: /Two/ }).uncheck()
  await dlg.getByLabel('Export password', { exact: true }).fill('export pass 123')
  await dlg.getByLabel('Type it again', { exact: true }).fill('export pass 12')
  await dlg.getByRole('button', { name: 'Export 1 connection' }).click()
  await expect(dlg.getByText('The two passwords do not match.')).toBeVisible()
  await dlg.getByLabel('Type it again', { exact: true }).fill('export pass 123')
  const downloading = page.waitForEvent('download')
  await dlg.getByRole('button', { name: 'Export 1 connection' }).click()
  const download = await downloading
  const saved = path.join(porthole.dataDir, download.suggestedFilename())
  await download.saveAs(saved)
  await expect(dlg.getByRole('link', { name: /Save .* again/ })).toBeVisible()
  await saveScreenshot(page, 'profiles-export-done')
  await dlg.getByRole('button', { name: 'Done' }).click()

  // The file is the host's encrypted export: it reads back with its password, secrets included.
  const content = fs.readFileSync(saved)
  expect(content.includes(Buffer.from('vnc-1'))).toBe(false)
  const text = content.toString('utf8')
  const preview = await hostCall(porthole, 'profiles.importPreview', { source: 'porthole-export', content: text.trimStart().startsWith('{') ? text : content.toString('base64'), password: 'export pass 123' })
  expect(preview.items.map((i) => [i.profile.name, i.hasSecret, i.conflictReason])).toEqual([['One', true, 'same-name']])
})
