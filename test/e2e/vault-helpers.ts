// Steps the vault and profiles specs share: reading the host through the Node client, the
// lock screen, focus checks, axe, and recording what the page receives over the WebSocket.
import AxeBuilder from '@axe-core/playwright'
import type { Page, WebSocket as PageSocket } from '@playwright/test'
import type { CallInput, CallOutput } from '../../contract/define'
import type { Calls } from '../../contract/index'
import type { WireError } from '../../contract/errors'
import { expect, type Porthole } from './fixtures'

/** Calls the host from Node and returns the value, failing the test on an error. */
export async function hostCall<K extends keyof Calls>(porthole: Porthole, name: K, input: CallInput<Calls[K]>): Promise<CallOutput<Calls[K]>> {
  const result = await porthole.api.call(name, input)
  if (!result.ok) throw new Error(`${String(name)} failed: ${result.error.code} ${result.error.message}`)
  return result.value
}

/** Calls the host from Node and returns the error it must fail with. */
export async function hostError<K extends keyof Calls>(porthole: Porthole, name: K, input: CallInput<Calls[K]>): Promise<WireError> {
  const result = await porthole.api.call(name, input)
  if (result.ok) throw new Error(`${String(name)} succeeded, expected an error`)
  return result.error
}

/** Opens the page afresh (the harness URL differs from the page's only by its fragment). */
export async function openPage(page: Page, porthole: Porthole): Promise<void> {
  if (page.url() !== 'about:blank') await page.goto('about:blank')
  await page.goto(porthole.url)
}

export function lockScreen(page: Page) {
  return page.locator('.vault-screen')
}

/** The shell is on screen (the vault is unlocked in this page). */
export async function expectShell(page: Page): Promise<void> {
  await expect(page.getByRole('navigation', { name: 'Sidebar' })).toBeVisible()
  await expect(page.getByRole('contentinfo').getByTestId('transport')).toHaveText('websocket')
}

/** The focused element's accessible-ish name: id, or label text. */
export function focusedId(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.id ?? '')
}

export async function seriousViolations(page: Page, include?: string): Promise<string[]> {
  let builder = new AxeBuilder({ page })
  if (include) builder = builder.include(include)
  const results = await builder.analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

/**
 * Every WebSocket frame the page receives, from before it opens the socket: the canary checks
 * read them at the end of a test. Attach before the first `page.goto`.
 */
export function recordReceivedFrames(page: Page): string[] {
  const frames: string[] = []
  page.on('websocket', (ws: PageSocket) => {
    ws.on('framereceived', (frame) => frames.push(typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('latin1')))
  })
  return frames
}

/** Waits until main accepts a password attempt again (its backoff after a wrong one has run out). */
export async function waitForBackoff(porthole: Porthole): Promise<void> {
  await expect
    .poll(async () => (await hostCall(porthole, 'vault.status', {})).retryAfterMs ?? 0, { timeout: 35_000, intervals: [100, 250, 500] })
    .toBe(0)
}
