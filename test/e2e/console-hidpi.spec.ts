// HiDPI: at device scale factor 2, "1:1 sharp" shows one VM pixel per device pixel. A screenshot
// of the console's canvas at device resolution must equal the lab pattern's colour bars pixel for
// pixel (any scaling would blend the bar edges or move them).
import type { Page } from '@playwright/test'
import { startRfbServer } from '../../lab/consoles/rfb-server'
import { BACKGROUND, BAR_COLOURS, BAR_HEIGHT, BAR_WIDTH, PATTERN_HEIGHT, PATTERN_WIDTH } from '../../lab/consoles/test-pattern'
import { expect, saveScreenshot, test } from './fixtures'

test.use({ deviceScaleFactor: 2 })

const cleanups: Array<() => unknown> = []
test.afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** The RGB of every pixel of a PNG, decoded in the page at its natural size. */
async function pixels(page: Page, png: Buffer): Promise<{ width: number; height: number; data: number[] }> {
  return page.evaluate(async (b64) => {
    const img = new Image()
    img.src = `data:image/png;base64,${b64}`
    await img.decode()
    const c = document.createElement('canvas')
    c.width = img.naturalWidth
    c.height = img.naturalHeight
    const ctx = c.getContext('2d')!
    ctx.drawImage(img, 0, 0)
    return { width: c.width, height: c.height, data: Array.from(ctx.getImageData(0, 0, c.width, c.height).data) }
  }, png.toString('base64'))
}

test('"1:1 sharp" at device scale 2: the canvas is the VM screen pixel for pixel', async ({ page, porthole }) => {
  test.setTimeout(60_000)
  const s = await startRfbServer({ name: 'hidpi' })
  cleanups.push(() => s.close())
  const added = await porthole.api.call('profiles.add', { kind: 'vnc', name: 'HiDPI', host: '127.0.0.1', port: s.port })
  expect(added.ok).toBe(true)
  await page.goto(porthole.url)
  await expect(page.getByRole('contentinfo').getByTestId('transport')).toHaveText('websocket')
  expect(await page.evaluate(() => window.devicePixelRatio)).toBe(2)
  await page.getByRole('button', { name: /^All VMs/ }).click()
  await page.keyboard.press('Control+f')
  await page.getByRole('searchbox').fill('HiDPI')
  const row = page.getByRole('grid', { name: 'Virtual machines' }).getByRole('row').filter({ has: page.getByRole('gridcell', { name: 'HiDPI', exact: true }) })
  await expect(row).toBeVisible({ timeout: 15_000 })
  await row.click()
  await page.keyboard.press('Enter')
  const console_ = page.getByRole('region', { name: 'Console of HiDPI' })
  await expect(console_.getByTestId('console-state')).toHaveText(/^Connected/, { timeout: 20_000 })
  await console_.getByRole('button', { name: '1:1 sharp' }).click()
  const canvas = console_.getByTestId('console-screen').locator('canvas')
  await expect.poll(() => canvas.evaluate((c) => c.getBoundingClientRect().width)).toBe(PATTERN_WIDTH / 2)
  await saveScreenshot(page, 'console-hidpi-sharp')

  // Polled: the first frame may still be on its way when the tab says Connected.
  await expect
    .poll(async () => {
      const shot = await pixels(page, await canvas.screenshot({ scale: 'device' }))
      // The element screenshot is clipped to whole CSS pixels around the canvas: find where its
      // first device pixel landed (at most one CSS pixel, two device pixels, in).
      const at = (x: number, y: number): number => {
        const i = (y * shot.width + x) * 4
        return (shot.data[i]! << 16) | (shot.data[i + 1]! << 8) | shot.data[i + 2]!
      }
      const corner = [0, 1, 2].flatMap((y) => [0, 1, 2].map((x) => [x, y] as const)).find(([x, y]) => at(x, y) === BAR_COLOURS[0])
      if (!corner) return [`no white corner: ${at(0, 0).toString(16)}`]
      const [dx, dy] = corner
      expect(shot.width - dx).toBeGreaterThanOrEqual(PATTERN_WIDTH)
      expect(shot.height - dy).toBeGreaterThanOrEqual(PATTERN_HEIGHT)
      const wrong: string[] = []
      for (let y = 0; y < BAR_HEIGHT + 8; y++) {
        for (let x = 0; x < PATTERN_WIDTH; x++) {
          const want = y < BAR_HEIGHT ? BAR_COLOURS[Math.floor(x / BAR_WIDTH)]! : BACKGROUND
          const got = at(x + dx, y + dy)
          if (got !== want && wrong.length < 5) wrong.push(`(${x},${y}) ${got.toString(16)} != ${want.toString(16)}`)
        }
      }
      return wrong
    }, { timeout: 10_000 })
    .toEqual([])
})
