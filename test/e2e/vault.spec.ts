import fs from 'node:fs'
import path from 'node:path'
import { MASTER_PASSWORD, expect, saveScreenshot, test } from './fixtures'
import { expectShell, focusedId, hostCall, hostError, lockScreen, openPage, seriousViolations, waitForBackoff } from './vault-helpers'

test.afterEach(({ pageErrors }) => {
  expect(pageErrors).toEqual([])
})

test.describe('first run', () => {
  test.use({ vaultAtStart: 'absent' })

  test('creates the vault with the keyboard alone: password twice, strength meter, explicit "I understand"', async ({ page, porthole }) => {
    await openPage(page, porthole)
    const screen = lockScreen(page)
    await expect(screen.getByRole('heading', { level: 1, name: 'Create your vault' })).toBeVisible()
    // The shell stays hidden until there is an unlocked vault.
    await expect(page.getByRole('navigation', { name: 'Sidebar' })).toHaveCount(0)
    await expect.poll(() => focusedId(page)).toBe('vault-new-password')
    await saveScreenshot(page, 'vault-create-empty')

    // Enter with nothing typed: each problem is named at its field, the focus goes to the first.
    await page.keyboard.press('Enter')
    await expect(screen.getByText('Use at least 8 characters.')).toBeVisible()
    await expect.poll(() => focusedId(page)).toBe('vault-new-password')

    // A common password is refused however long it is.
    await page.keyboard.type('Password123!')
    await expect(screen.locator('.strength')).toHaveAttribute('data-score', '0')
    await expect(screen.locator('.strength-text')).toContainText('first passwords an attacker tries')
    await page.keyboard.press('Enter')
    await expect(screen.getByText('This password is too easy to guess.', { exact: false })).toBeVisible()
    await saveScreenshot(page, 'vault-create-weak')

    await page.keyboard.press('Control+a')
    await page.keyboard.type(MASTER_PASSWORD)
    await expect(screen.locator('.strength')).toHaveAttribute('data-score', '4')
    // Alt+F8 shows what was typed and hides it again, without leaving the field.
    const newPassword = screen.getByLabel('Master password', { exact: true })
    await page.keyboard.press('Alt+F8')
    await expect(newPassword).toHaveAttribute('type', 'text')
    await expect(newPassword).toHaveValue(MASTER_PASSWORD)
    await page.keyboard.press('Alt+F8')
    await expect(newPassword).toHaveAttribute('type', 'password')
    await expect(newPassword).toBeFocused()
    await expect(screen.locator('.strength-text')).toContainText('Strong')
    await page.keyboard.press('Tab')
    await expect.poll(() => focusedId(page)).toBe('vault-confirm-password')
    await page.keyboard.type('correct horse battery stapel')
    await page.keyboard.press('Enter')
    await expect(screen.getByText('The two passwords do not match.')).toBeVisible()
    await expect.poll(() => focusedId(page)).toBe('vault-confirm-password')
    await page.keyboard.press('Control+a')
    await page.keyboard.type(MASTER_PASSWORD)
    await page.keyboard.press('Enter')
    // Not without the explicit acknowledgement.
    const understood = screen.getByRole('checkbox', { name: /lost master password cannot be recovered/ })
    await expect(understood).toBeFocused()
    await expect(screen.getByText('Tick this box to confirm you have read the warning.')).toBeVisible()
    expect((await hostCall(porthole, 'vault.status', {})).state).toBe('absent')
    await saveScreenshot(page, 'vault-create-unconfirmed')
    await page.keyboard.press('Space')
    await expect(understood).toBeChecked()
    await page.keyboard.press('Tab')
    await expect(screen.getByRole('button', { name: 'Create vault' })).toBeFocused()
    await saveScreenshot(page, 'vault-create-ready')
    await page.keyboard.press('Enter')

    await expectShell(page)
    expect((await hostCall(porthole, 'vault.status', {})).state).toBe('unlocked')
    await expect(page.getByRole('contentinfo')).toContainText('Vault unlocked')
    await saveScreenshot(page, 'vault-created-shell')
  })

  test('the create screen passes axe in both themes', async ({ page, porthole }) => {
    await openPage(page, porthole)
    await expect(page.getByRole('heading', { name: 'Create your vault' })).toBeVisible()
    expect(await seriousViolations(page)).toEqual([])
    await hostCall(porthole, 'settings.set', { theme: 'dark' })
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
    await page.keyboard.type('Password1')
    expect(await seriousViolations(page)).toEqual([])
    await saveScreenshot(page, 'vault-create-dark')
  })
})

test('wrong password, then a live backoff countdown, then the right one', async ({ page, porthole }) => {
  await hostCall(porthole, 'vault.lock', {})
  await openPage(page, porthole)
  const screen = lockScreen(page)
  await expect(screen.getByRole('heading', { level: 1, name: 'Unlock Porthole' })).toBeVisible()
  const field = screen.getByLabel('Master password', { exact: true })
  await expect(field).toBeFocused()
  await saveScreenshot(page, 'vault-unlock')

  // Caps Lock, the usual reason a right password is refused, is named while typing (CDP cannot
  // toggle the real key, so the event carries the modifier state itself).
  await field.dispatchEvent('keydown', { key: 'A', modifierCapsLock: true, bubbles: true })
  await expect(screen.getByText('Caps Lock is on.')).toBeVisible()
  await expect(field).toHaveAccessibleDescription(/Caps Lock is on/)
  await field.dispatchEvent('keyup', { key: 'a', modifierCapsLock: false, bubbles: true })
  await expect(screen.getByText('Caps Lock is on.')).toHaveCount(0)

  await page.keyboard.type('not the password')
  await page.keyboard.press('Enter')
  await expect(screen.getByText('That is not the master password.', { exact: false })).toBeVisible()
  // The field keeps the focus with the whole text selected, so typing again replaces it.
  await expect(field).toBeFocused()
  expect(await field.evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd, el.value.length])).toEqual([0, 16, 16])
  await expect(field).toHaveAttribute('aria-invalid', 'true')
  await saveScreenshot(page, 'vault-unlock-wrong')

  // A second wrong password right away: the first backoff (1 s) is still running, or it has passed
  // and this one doubles it. Either way the page counts down live, from main's own number.
  await expect(screen.getByTestId('retry-seconds')).toHaveCount(0, { timeout: 3000 })
  await page.keyboard.type('still not it')
  await page.keyboard.press('Enter')
  const seconds = screen.getByTestId('retry-seconds')
  await expect(seconds).toBeVisible()
  const first = Number(await seconds.textContent())
  expect(first).toBeGreaterThanOrEqual(1)
  await saveScreenshot(page, 'vault-unlock-countdown')
  // Enter while waiting sends nothing: the host's backoff is untouched, the page still counts down.
  await page.keyboard.press('Enter')
  await expect(screen.getByRole('button', { name: 'Unlock' })).toHaveAttribute('aria-disabled', 'true')
  await expect(seconds).toHaveCount(0, { timeout: (first + 2) * 1000 })
  await expect(field).toBeFocused()

  await page.keyboard.type(MASTER_PASSWORD)
  await page.keyboard.press('Enter')
  await expectShell(page)
  expect((await hostCall(porthole, 'vault.status', {})).state).toBe('unlocked')
})

test('a RATE_LIMITED refusal shows its countdown; the user is never locked out', async ({ page, porthole }) => {
  await hostCall(porthole, 'vault.lock', {})
  // Three wrong passwords from another client, each once the backoff allows it: the next attempt must wait 4 s.
  for (let i = 0; i < 3; i++) {
    await waitForBackoff(porthole)
    expect((await hostError(porthole, 'vault.unlock', { password: 'wrong' })).code).toBe('AUTH_FAILED')
  }
  await openPage(page, porthole)
  const screen = lockScreen(page)
  // vault.status says how long; the page counts from there without asking again.
  const seconds = screen.getByTestId('retry-seconds')
  await expect(seconds).toBeVisible()
  const start = Number(await seconds.textContent())
  expect(start).toBeGreaterThanOrEqual(2)
  await expect.poll(async () => Number(await seconds.textContent()), { timeout: 3000 }).toBeLessThan(start)
  await expect(seconds).toHaveCount(0, { timeout: (start + 2) * 1000 })
  await screen.getByLabel('Master password', { exact: true }).fill(MASTER_PASSWORD)
  await page.keyboard.press('Enter')
  await expectShell(page)
})

test('locks from the toolbar, Ctrl+Shift+L, Ctrl+L and vault.changed; the connection list is dropped and re-read', async ({ page, porthole }) => {
  await hostCall(porthole, 'profiles.add', { kind: 'vnc', name: 'Build console', host: '127.0.0.1', port: 5901 })
  await openPage(page, porthole)
  const connections = page.getByRole('list', { name: 'Connections' })
  await expect(connections.getByRole('listitem')).toHaveText([/Build console/])

  const unlock = async (): Promise<void> => {
    await expect(lockScreen(page).getByLabel('Master password', { exact: true })).toBeFocused()
    // Nothing the vault guards stays in the page while it is locked.
    await expect(page.getByText('Build console')).toHaveCount(0)
    await page.keyboard.type(MASTER_PASSWORD)
    await page.keyboard.press('Enter')
    await expect(connections.getByRole('listitem')).toHaveText([/Build console/])
  }

  await page.getByRole('button', { name: 'Lock vault' }).click()
  await expect(lockScreen(page).getByRole('heading', { name: 'Unlock Porthole' })).toBeVisible()
  await expect(page.getByRole('navigation', { name: 'Sidebar' })).toHaveCount(0)
  expect((await hostCall(porthole, 'vault.status', {})).state).toBe('locked')
  await saveScreenshot(page, 'vault-locked')
  await unlock()

  await page.keyboard.press('Control+Shift+L')
  await expect(lockScreen(page)).toBeVisible()
  await unlock()

  await page.keyboard.press('Control+l')
  await expect(lockScreen(page)).toBeVisible()
  await unlock()

  // The app menu, screen lock and suspend lock in main; the page hears vault.changed.
  porthole.host.host.vault.lock('screen-lock')
  await expect(lockScreen(page).getByText('Locked when the screen locked.')).toBeVisible()
  await unlock()
})

test.describe('auto-lock', () => {
  // An auto-lock "minute" of 400 ms: the default 15 minutes become 6 s, 1 minute 0.4 s.
  test.use({ autoLockMinuteMs: 400 })

  test('after the idle time the page shows the lock screen and calls needing secrets get VAULT_LOCKED', async ({ page, porthole }) => {
    await openPage(page, porthole)
    await expectShell(page)
    await page.getByRole('contentinfo').getByRole('button', { name: /Vault unlocked/ }).press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Vault settings' })
    await expect(dialog).toBeVisible()
    await expect(dialog.getByText('Not available: Quick unlock is not available in the browser harness.')).toBeVisible()
    await expect(dialog.getByRole('checkbox', { name: 'Allow quick unlock on this computer' })).toBeDisabled()
    await saveScreenshot(page, 'vault-settings')
    const minutes = dialog.getByLabel(/Minutes/)
    await minutes.fill('abc')
    await minutes.press('Enter')
    await expect(dialog.getByText('Enter whole minutes (0 turns auto-lock off).')).toBeVisible()
    await minutes.fill('2')
    await minutes.press('Enter')
    // The reply arms a 2 × 400 ms timer; with no calls after it, the vault locks on its own.
    await expect(lockScreen(page).getByText('Locked after a period of inactivity.')).toBeVisible({ timeout: 10_000 })
    await saveScreenshot(page, 'vault-autolocked')
    const refused = await hostError(porthole, 'profiles.list', {})
    expect(refused.code).toBe('VAULT_LOCKED')
    // The setting lives in the vault: it is still 2 after unlocking.
    await page.keyboard.type(MASTER_PASSWORD)
    await page.keyboard.press('Enter')
    await expect(page.getByRole('contentinfo')).toContainText('auto-lock 2 min')
  })
})

test('change the master password; the old one stops working', async ({ page, porthole }) => {
  await openPage(page, porthole)
  await expectShell(page)
  await page.getByRole('contentinfo').getByRole('button', { name: /Vault unlocked/ }).click()
  await page.getByRole('button', { name: 'Change master password…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Change master password' })
  await expect(dialog.getByLabel('Current master password', { exact: true })).toBeFocused()
  await page.keyboard.type('wrong current password')
  await page.keyboard.press('Tab')
  await page.keyboard.type('a brand new passphrase 42')
  await page.keyboard.press('Tab')
  await page.keyboard.type('a brand new passphrase 42')
  await page.keyboard.press('Enter')
  await expect(dialog.getByText('That is not the current master password.')).toBeVisible()
  await expect(dialog.getByLabel('Current master password', { exact: true })).toBeFocused()
  await saveScreenshot(page, 'vault-change-password')
  await waitForBackoff(porthole) // the wrong try started a 1 s backoff in main
  await page.keyboard.type(MASTER_PASSWORD)
  await page.keyboard.press('Enter')
  await expect(page.getByRole('dialog', { name: 'Vault settings' })).toBeVisible()
  await expect(page.getByTestId('notice').filter({ hasText: 'Master password changed' })).toBeVisible()

  await hostCall(porthole, 'vault.lock', {})
  expect((await hostError(porthole, 'vault.unlock', { password: MASTER_PASSWORD })).code).toBe('AUTH_FAILED')
  await waitForBackoff(porthole)
  await lockScreen(page).getByLabel('Master password', { exact: true }).fill('a brand new passphrase 42')
  await page.keyboard.press('Enter')
  await expectShell(page)
})

test('a damaged vault is named plainly and its previous generation can be restored', async ({ page, porthole }) => {
  // Two saves: the first generation becomes the backup when the second is written.
  await hostCall(porthole, 'profiles.add', { kind: 'vnc', name: 'First', host: '127.0.0.1', port: 5900 })
  await hostCall(porthole, 'profiles.add', { kind: 'vnc', name: 'Second', host: '127.0.0.1', port: 5901 })
  await porthole.host.host.vault.flush()
  await hostCall(porthole, 'vault.lock', {})
  const file = path.join(porthole.dataDir, 'vault.json')
  const bytes = fs.readFileSync(file)
  fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)))
  expect((await hostCall(porthole, 'vault.status', {})).backup?.available).toBe(true)

  await openPage(page, porthole)
  await page.keyboard.type(MASTER_PASSWORD)
  await page.keyboard.press('Enter')
  const screen = lockScreen(page)
  await expect(screen.getByRole('heading', { level: 1, name: 'The vault file is damaged' })).toBeVisible()
  await expect(screen.getByRole('alert')).toContainText('Nothing was loaded from it')
  const restore = screen.getByLabel('Master password of the previous copy', { exact: true })
  await expect(restore).toBeFocused()
  await saveScreenshot(page, 'vault-damaged')
  expect(await seriousViolations(page)).toEqual([])

  await page.keyboard.type(MASTER_PASSWORD)
  await page.keyboard.press('Enter')
  await expectShell(page)
  // The backup is the generation before the last save: it has the first profile only.
  await expect(page.getByRole('list', { name: 'Connections' }).getByRole('listitem')).toHaveText([/First/])
  expect(fs.existsSync(`${file}.damaged`)).toBe(true)
})

test('the lock screen passes axe in both themes', async ({ page, porthole }) => {
  await hostCall(porthole, 'vault.lock', {})
  await openPage(page, porthole)
  await expect(lockScreen(page).getByRole('heading', { name: 'Unlock Porthole' })).toBeVisible()
  expect(await seriousViolations(page)).toEqual([])
  await hostCall(porthole, 'settings.set', { theme: 'dark' })
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await page.keyboard.type('wrong')
  await page.keyboard.press('Enter')
  await expect(lockScreen(page).getByText('That is not the master password.', { exact: false })).toBeVisible()
  expect(await seriousViolations(page)).toEqual([])
  await saveScreenshot(page, 'vault-unlock-dark')
})
