import fs from 'node:fs'
import path from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Locator, Page } from '@playwright/test'
import type { Settings } from '../../contract/settings'
import { expect, saveScreenshot, test, type Porthole } from './fixtures'

const VERSION = (JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string }).version

/** Loads the shell afresh. The harness URL differs from the page's own only by its fragment, which alone would not reload. */
async function openShell(page: Page, porthole: Porthole): Promise<void> {
  if (page.url() !== 'about:blank') await page.goto('about:blank')
  await page.goto(porthole.url)
  // The transport name comes from a real app.info round trip over the WebSocket.
  await expect(page.getByRole('contentinfo').getByTestId('transport')).toHaveText('websocket')
}

async function hostSettings(porthole: Porthole): Promise<Settings> {
  const result = await porthole.api.call('settings.get', {})
  if (!result.ok) throw new Error(`settings.get failed: ${result.error.code} ${result.error.message}`)
  return result.value
}

function bodyBackground(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor)
}

type ThemeName = 'System' | 'Light' | 'Dark'

function themeRadio(page: Page, name: ThemeName): Locator {
  return page.getByRole('group', { name: 'Theme' }).getByRole('radio', { name })
}

/** Clicks the option as a person would: the radio itself is visually hidden inside its label. */
async function chooseTheme(page: Page, name: ThemeName): Promise<void> {
  await page.getByRole('group', { name: 'Theme' }).locator('label').filter({ hasText: name }).click()
}

/** The focused element as "role:name", for checking the Tab order. */
function describeFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement
    if (!el || el === document.body) return 'body'
    const role = el.getAttribute('role') ?? (el instanceof HTMLInputElement ? el.type : el.tagName.toLowerCase())
    const labelledBy = el.getAttribute('aria-labelledby')
    const name =
      el.getAttribute('aria-label') ??
      (labelledBy ? document.getElementById(labelledBy)?.textContent : null) ??
      (el instanceof HTMLInputElement ? el.labels?.[0]?.textContent : el.textContent) ??
      ''
    return `${role}:${name.trim()}`
  })
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

test.afterEach(({ pageErrors }) => {
  // Covers CSP refusals too: Chromium reports each one as a console error.
  expect(pageErrors).toEqual([])
})

test('the shell shows sidebar, Home tab and a status bar fed by app.info', async ({ page, porthole }) => {
  await openShell(page, porthole)

  const sidebar = page.getByRole('navigation', { name: 'Sidebar' })
  await expect(sidebar.getByRole('heading', { level: 2, name: 'Connections' })).toBeVisible()
  await expect(sidebar.getByRole('list', { name: 'Connections' }).getByRole('listitem')).toHaveCount(0)

  const tabs = page.getByRole('main').getByRole('tablist').getByRole('tab')
  await expect(tabs).toHaveCount(1)
  await expect(tabs.first()).toHaveText('Home')
  await expect(tabs.first()).toHaveAttribute('aria-selected', 'true')
  const panel = page.getByRole('tabpanel', { name: 'Home' })
  await expect(panel.getByRole('heading', { level: 1, name: 'Welcome to Porthole' })).toBeVisible()

  const status = page.getByRole('contentinfo')
  await expect(status.getByTestId('version')).toHaveText(`Porthole ${VERSION}`)

  // The empty state's two actions work: "Add connection" since the vault landed (test/e2e/profiles.spec.ts
  // covers its dialog), "Try the demo lab" since the inventory did (test/e2e/inventory.spec.ts starts it).
  const demo = panel.getByRole('button', { name: 'Try the demo lab' })
  const add = panel.getByRole('button', { name: 'Add connection' })
  await expect(demo).not.toHaveAttribute('aria-disabled', 'true')
  await expect(add).not.toHaveAttribute('aria-disabled', 'true')

  // The token left the address bar once it was used; no runtime <style> tags (style-src 'self').
  expect(page.url()).not.toContain('token')
  expect(await page.locator('style').count()).toBe(0)
})

test('switching the theme repaints at once and is saved by the host', async ({ page, porthole }) => {
  await openShell(page, porthole)
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  const light = await bodyBackground(page)
  await saveScreenshot(page, 'shell-light')

  await chooseTheme(page, 'Dark')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  const dark = await bodyBackground(page)
  expect(dark).not.toBe(light)
  await expect.poll(async () => (await hostSettings(porthole)).theme).toBe('dark')
  await saveScreenshot(page, 'shell-dark')

  // A fresh page load starts dark: the choice is in the host's settings file, not the page.
  await openShell(page, porthole)
  await expect(themeRadio(page, 'Dark')).toBeChecked()
  expect(await bodyBackground(page)).toBe(dark)

  await chooseTheme(page, 'Light')
  await expect.poll(() => bodyBackground(page)).toBe(light)
  await expect.poll(async () => (await hostSettings(porthole)).theme).toBe('light')
})

test("'system' follows the OS colour scheme live", async ({ page, porthole }) => {
  await openShell(page, porthole)
  await expect(themeRadio(page, 'System')).toBeChecked()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await page.emulateMedia({ colorScheme: 'light' })
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
})

test('a change made by another client arrives through settings.changed', async ({ page, porthole }) => {
  await openShell(page, porthole)
  const result = await porthole.api.call('settings.set', { theme: 'dark', layout: { sidebarWidth: 320 } })
  expect(result.ok).toBe(true)
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await expect(themeRadio(page, 'Dark')).toBeChecked()
  await expect(page.getByRole('separator', { name: 'Resize sidebar' })).toHaveAttribute('aria-valuenow', '320')
})

test('keyboard only: Tab order, skip link, focus ring, theme by arrow keys', async ({ page, porthole }) => {
  await openShell(page, porthole)
  await page.locator('body').focus()

  const order: string[] = []
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab')
    const focused = await describeFocus(page)
    order.push(focused)
    if (focused === 'button:Try the demo lab') await saveScreenshot(page, 'keyboard-focus-light')
    if (focused.startsWith('radio:')) break
  }
  expect(order).toEqual([
    'a:Skip to tabs',
    'button:Import connections',
    'button:Export connections',
    'button:New connection',
    'separator:Resize sidebar',
    'button:Sidebar',
    'tab:Home',
    'button:Console wall',
    'button:Downloads',
    'button:Keyboard shortcuts',
    'button:Lock vault',
    'tabpanel:Home',
    'button:Try the demo lab',
    'button:Add connection',
    'button:Vault unlocked · auto-lock 15 min',
    'radio:System',
  ])

  // The focus ring is visible on the theme switch (the radio itself is visually hidden).
  const option = (name: ThemeName): Locator => page.getByRole('group', { name: 'Theme' }).locator('label').filter({ hasText: name })
  const systemOption = option('System')
  expect(await systemOption.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid')

  // Arrow keys move the radio group's choice: System → Light → Dark.
  await page.keyboard.press('ArrowRight')
  await expect(themeRadio(page, 'Light')).toBeChecked()
  await expect.poll(async () => (await hostSettings(porthole)).theme).toBe('light')
  await page.keyboard.press('ArrowRight')
  await expect(themeRadio(page, 'Dark')).toBeChecked()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await expect.poll(async () => (await hostSettings(porthole)).theme).toBe('dark')
  expect(await systemOption.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('none')
  expect(await option('Dark').evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid')
  await page.keyboard.press('Shift+Tab')
  await page.keyboard.press('Shift+Tab')
  await expect(page.getByRole('button', { name: 'Add connection' })).toBeFocused()
  await saveScreenshot(page, 'keyboard-focus-dark')

  // The skip link appears when focused and takes the focus to the tabs area.
  await openShell(page, porthole)
  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: 'Skip to tabs' })
  await expect(skip).toBeFocused()
  await expect(skip).toBeInViewport()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('main')).toBeFocused()
})

test('tabs: open, switch and close with the keyboard', async ({ page, porthole }) => {
  await openShell(page, porthole)
  const tabs = page.getByRole('tab')
  const selected = page.getByRole('tab', { selected: true })

  await page.keyboard.press('Control+/')
  await expect(tabs).toHaveText(['Home', 'Keyboard shortcuts'])
  await expect(selected).toHaveText('Keyboard shortcuts')
  const shortcutsPanel = page.getByRole('tabpanel', { name: 'Keyboard shortcuts' })
  await expect(shortcutsPanel.getByRole('row', { name: /Close the tab/ })).toContainText('Ctrl+W')
  await expect(page.getByRole('tabpanel', { name: 'Home' })).toBeHidden()

  // Opening it again activates the open tab instead of adding another.
  await page.keyboard.press('Control+Tab')
  await expect(selected).toHaveText('Home')
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click()
  await expect(tabs).toHaveCount(2)
  await expect(selected).toHaveText('Keyboard shortcuts')

  await page.keyboard.press('Control+Shift+Tab')
  await expect(selected).toHaveText('Home')
  await page.keyboard.press('Control+Shift+Tab')
  await expect(selected).toHaveText('Keyboard shortcuts')

  // Arrow keys in the tab list move focus and selection together (ARIA tabs pattern).
  await selected.focus()
  await page.keyboard.press('ArrowLeft')
  await expect(selected).toHaveText('Home')
  await expect(selected).toBeFocused()
  await page.keyboard.press('End')
  await expect(selected).toHaveText('Keyboard shortcuts')
  await expect(selected).toBeFocused()

  // Ctrl+W closes the active tab; Home is pinned and stays.
  await page.keyboard.press('Control+w')
  await expect(tabs).toHaveText(['Home'])
  await expect(selected).toHaveText('Home')
  await page.keyboard.press('Control+w')
  await expect(tabs).toHaveText(['Home'])

  // Delete closes the focused tab, and the focus lands on its neighbour.
  await page.keyboard.press('Control+/')
  await page.getByRole('tab', { name: 'Keyboard shortcuts' }).focus()
  await page.keyboard.press('Delete')
  await expect(tabs).toHaveText(['Home'])
  await expect(page.getByRole('tab', { name: 'Home' })).toBeFocused()
})

test('the sidebar resizes by keyboard and mouse, collapses, and keeps its layout', async ({ page, porthole }) => {
  await openShell(page, porthole)
  const sidebar = page.getByRole('navigation', { name: 'Sidebar' })
  const splitter = page.getByRole('separator', { name: 'Resize sidebar' })
  const width = async (): Promise<number> => Math.round((await sidebar.boundingBox())?.width ?? -1)
  await expect(splitter).toHaveAttribute('aria-valuenow', '260')
  expect(await width()).toBe(260)

  await splitter.focus()
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('Shift+ArrowRight')
  await expect(splitter).toHaveAttribute('aria-valuenow', '340')
  expect(await width()).toBe(340)
  // Saved once the keys stop (debounced), through settings.set.
  await expect.poll(async () => (await hostSettings(porthole)).layout.sidebarWidth).toBe(340)

  // Dragging: 100 px to the left.
  const box = (await splitter.boundingBox())!
  const y = box.y + box.height / 2
  await page.mouse.move(box.x + box.width / 2, y)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width / 2 - 50, y, { steps: 4 })
  await page.mouse.move(box.x + box.width / 2 - 100, y, { steps: 4 })
  await page.mouse.up()
  await expect(splitter).toHaveAttribute('aria-valuenow', '240')
  await expect.poll(async () => (await hostSettings(porthole)).layout.sidebarWidth).toBe(240)

  // The bounds hold.
  await splitter.focus()
  await page.keyboard.press('Home')
  await expect(splitter).toHaveAttribute('aria-valuenow', '160')
  await page.keyboard.press('ArrowLeft')
  await expect(splitter).toHaveAttribute('aria-valuenow', '160')

  // Enter hides the sidebar; the toolbar button brings it back.
  await page.keyboard.press('Enter')
  await expect(sidebar).toHaveCount(0)
  const toggle = page.getByRole('button', { name: 'Sidebar' })
  await expect(toggle).toHaveAttribute('aria-pressed', 'false')
  await expect.poll(async () => (await hostSettings(porthole)).layout.sidebarCollapsed).toBe(true)
  await openShell(page, porthole)
  await expect(sidebar).toHaveCount(0)
  await page.getByRole('button', { name: 'Sidebar' }).click()
  await expect(sidebar).toBeVisible()
  expect(await width()).toBe(160)
  await expect.poll(async () => (await hostSettings(porthole)).layout.sidebarCollapsed).toBe(false)
})

test('a host error shows as a notice with its message and code, and the theme goes back', async ({ page, porthole }) => {
  await openShell(page, porthole)
  // A directory where the settings file should be: the host cannot write it.
  fs.mkdirSync(path.join(porthole.dataDir, 'settings.json'))

  await chooseTheme(page, 'Dark')
  const notice = page.getByRole('region', { name: 'Notifications' }).getByTestId('notice')
  await expect(notice).toHaveCount(1)
  await expect(notice).toContainText('Could not save the theme')
  await expect(notice).toContainText('internal error (incident')
  await expect(notice.locator('code')).toHaveText('INTERNAL')
  await expect(themeRadio(page, 'System')).toBeChecked()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  await saveScreenshot(page, 'shell-notice')

  // The same failure again counts up instead of stacking.
  await chooseTheme(page, 'Dark')
  await expect(notice).toHaveCount(1)
  await expect(notice).toContainText('2 times')

  // Non-blocking: the rest of the window still works; the notice goes when dismissed.
  await page.keyboard.press('Control+/')
  await expect(page.getByRole('tab', { selected: true })).toHaveText('Keyboard shortcuts')
  await notice.getByRole('button', { name: 'Dismiss notification' }).click()
  await expect(notice).toHaveCount(0)
})

test('axe finds no serious or critical problems, in either theme', async ({ page, porthole }) => {
  await openShell(page, porthole)
  expect(await seriousViolations(page)).toEqual([])

  await chooseTheme(page, 'Dark')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  expect(await seriousViolations(page)).toEqual([])

  await page.keyboard.press('Control+/')
  await expect(page.getByRole('tab', { selected: true })).toHaveText('Keyboard shortcuts')
  expect(await seriousViolations(page)).toEqual([])
  await saveScreenshot(page, 'shortcuts-dark')

  await chooseTheme(page, 'Light')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  expect(await seriousViolations(page)).toEqual([])
})

test('losing the host shows in the status bar and as a notice', async ({ page, porthole }) => {
  await openShell(page, porthole)
  await porthole.host.close()
  await expect(page.getByRole('contentinfo').getByTestId('transport')).toHaveText('Disconnected')
  const notice = page.getByRole('region', { name: 'Notifications' }).getByTestId('notice')
  await expect(notice).toContainText('Lost the connection to the Porthole host')
  await expect(notice.locator('code')).toHaveText('PROVIDER_UNAVAILABLE')
  // A call made now fails with a notice instead of hanging: the theme goes back.
  await chooseTheme(page, 'Dark')
  await expect(notice).toHaveCount(2)
  await expect(themeRadio(page, 'System')).toBeChecked()
})
