// The guest file browser and downloads in Chromium against the demo lab's vCenter: open a VM's
// files from its context menu, give guest credentials, browse by keyboard and breadcrumbs, a
// 5,000-entry folder paged as it scrolls, download a file (the ESXi host's certificate is asked
// about first, naming that host), watch its progress, cancel another, and see both in the
// downloads panel. The renderer never gets a transfer URL or a local path.
import AxeBuilder from '@axe-core/playwright'
import type { Locator, Page } from '@playwright/test'
import { GUEST_PASSWORD } from '../../lab/vsphere/guest-auth'
import { expect, saveScreenshot, test } from './fixtures'
import { DEMO_GUEST_VM as VM_NAME, openDemoVmMenuItem } from './vm-grid'


function files(page: Page): Locator {
  return page.getByRole('grid', { name: /^Files in / })
}

function fileRow(page: Page, name: string): Locator {
  return files(page).locator(`[role="row"][data-name="${name}"]`)
}

test('file browser on a demo VM: credentials, browse, download with progress, cancel, downloads panel', async ({ page, porthole, pageErrors }) => {
  test.setTimeout(240_000)
  await openDemoVmMenuItem(page, porthole, 'Browse files…')

  // The shared guest credentials dialog asks first.
  const ask = page.getByRole('dialog', { name: `Guest credentials for ${VM_NAME}` })
  await expect(ask).toBeVisible()
  await ask.getByLabel('Guest user').fill('root')
  await ask.getByLabel('Guest password').fill(GUEST_PASSWORD)
  await ask.getByRole('button', { name: 'Sign in' }).click()
  await expect(ask).toHaveCount(0)

  // The root, then down by keyboard: home → demo → Downloads.
  await expect(page.getByRole('tab', { name: /Files · dns-prod-01/ })).toHaveAttribute('aria-selected', 'true')
  await expect(files(page)).toHaveAttribute('aria-label', 'Files in /')
  await expect(fileRow(page, 'etc')).toBeVisible()
  await fileRow(page, 'home').dblclick()
  await expect(files(page)).toHaveAttribute('aria-label', 'Files in /home')
  await files(page).focus()
  await page.keyboard.press('Home')
  await page.keyboard.press('Enter')
  await expect(files(page)).toHaveAttribute('aria-label', 'Files in /home/demo')
  // Modified times arrive for the rows on screen.
  await expect(fileRow(page, 'notes.txt').locator('.file-modified')).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d$/)
  await fileRow(page, 'Downloads').dblclick()
  await expect(files(page)).toHaveAttribute('aria-label', 'Files in /home/demo/Downloads')
  const crumbs = page.getByRole('navigation', { name: 'Folder path' })
  await expect(crumbs.getByRole('listitem')).toHaveText(['/', 'home', 'demo', 'Downloads'])
  await saveScreenshot(page, 'files-browse')

  // Sorting by size, largest first.
  await page.getByRole('columnheader', { name: 'Size' }).getByRole('button').click()
  await page.getByRole('columnheader', { name: 'Size' }).getByRole('button').click()
  await expect(page.getByRole('columnheader', { name: 'Size' })).toHaveAttribute('aria-sort', 'descending')
  await expect(files(page).locator('[role="row"][data-type="file"]').first()).toHaveAttribute('data-name', 'disk-4GiB.img')

  // A big folder is paged: 200 first, more as it scrolls (by name, so the end is the end).
  await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click()
  await expect(page.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'ascending')
  await fileRow(page, 'many').dblclick()
  await expect(page.locator('.files-status')).toContainText('200 of 5,000 items')
  await files(page).focus()
  await page.keyboard.press('End')
  await expect(page.locator('.files-status')).toContainText('400 of 5,000 items')
  await saveScreenshot(page, 'files-paged')
  // Back (Alt+Left) and the breadcrumb.
  await page.keyboard.press('Alt+ArrowLeft')
  await expect(files(page)).toHaveAttribute('aria-label', 'Files in /home/demo/Downloads')

  // Download the 1 GiB file: the ESXi host's certificate is asked about first, by host and port.
  await fileRow(page, 'big-1GiB.bin').click()
  await page.getByRole('button', { name: 'Download', exact: true }).click()
  const trust = page.getByRole('dialog', { name: /^Trust the certificate of 127\.0\.0\.1:\d+\?$/ })
  await expect(trust).toBeVisible({ timeout: 10_000 })
  await expect(trust).toContainText('Guest files of dns-prod-01')
  await saveScreenshot(page, 'files-esxi-trust')
  await trust.getByRole('button', { name: 'Trust and connect' }).click()
  // Progress on the row while it runs, then "Downloaded".
  const bigMark = fileRow(page, 'big-1GiB.bin').locator('.file-mark')
  await expect(bigMark).toHaveClass(/is-running/, { timeout: 10_000 })
  await saveScreenshot(page, 'files-progress')

  // Start the 4 GiB image too, then cancel it from the panel.
  await fileRow(page, 'disk-4GiB.img').dblclick()
  await page.getByRole('button', { name: 'Downloads', exact: true }).click()
  const panel = page.getByRole('list', { name: 'Downloads' })
  const disk = panel.locator('li[data-state]').filter({ hasText: 'disk-4GiB.img' })
  await expect(disk).toHaveAttribute('data-state', /downloading|connecting|queued/)
  await expect(disk.locator('.download-status')).toContainText(/of 4\.0 GB/, { timeout: 10_000 })
  await saveScreenshot(page, 'files-downloads-running')
  await disk.getByRole('button', { name: 'Cancel' }).click()
  await expect(disk).toHaveAttribute('data-state', 'cancelled')
  await expect(disk.getByRole('button', { name: 'Retry' })).toBeVisible()

  const big = panel.locator('li[data-state]').filter({ hasText: 'big-1GiB.bin' })
  await expect(big).toHaveAttribute('data-state', 'done', { timeout: 180_000 })
  await expect(big.locator('.download-status')).toHaveText('1.0 GB · done')
  await expect(page.getByRole('list', { name: 'Downloads' }).locator('li')).toHaveCount(2)
  await expect(page.locator('.downloads-folder')).toHaveText('Saved to Downloads')
  await saveScreenshot(page, 'files-downloads-panel')
  const panelA11y = await new AxeBuilder({ page }).include('.downloads').analyze()
  expect(panelA11y.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])

  // "Show in folder" needs the desktop app: the harness says so.
  await big.getByRole('button', { name: 'Show in folder' }).click()
  await expect(page.getByText('"Show in folder" needs the desktop app.')).toBeVisible()

  // The file browser shows the finished download on its row.
  await page.getByRole('tab', { name: /Files · dns-prod-01/ }).click()
  await expect(bigMark).toHaveText('Downloaded')
  const filesA11y = await new AxeBuilder({ page }).include('.files').analyze()
  expect(filesA11y.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])

  // What the renderer holds: names and progress, never a transfer URL or a local path.
  const html = await page.content()
  expect(html).not.toContain('guestFile')
  expect(html).not.toContain(porthole.dataDir)
  expect(pageErrors).toEqual([])
})
