// A console in a hidden tab asks for no frames (its relay session carries next to nothing), and
// catches up when shown (a full update: bytes flow again). The lab's built-in server redraws its
// clock every second, so a console that asks for updates gets some every second.
import { startRfbServer } from '../../lab/consoles/rfb-server'
import { openVmConsole as openConsole } from './console-helpers'
import { expect, test, type Porthole } from './fixtures'

const cleanups: Array<() => unknown> = []
test.afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function bytes(porthole: Porthole, handle: string): Promise<number> {
  const status = await porthole.api.call('console.status', { handle })
  if (!status.ok) throw new Error(status.error.message)
  return status.value.bytesToRenderer
}

test('a hidden console stops asking for frames and catches up when shown', async ({ page, porthole }) => {
  test.setTimeout(60_000)
  const handles: string[] = []
  porthole.api.on('console.state', (s) => {
    if (s.state === 'open' && !handles.includes(s.handle)) handles.push(s.handle)
  })
  for (const name of ['First', 'Second']) {
    const s = await startRfbServer({ name })
    cleanups.push(() => s.close())
    const added = await porthole.api.call('profiles.add', { kind: 'vnc', name, host: '127.0.0.1', port: s.port })
    expect(added.ok).toBe(true)
  }
  await page.goto(porthole.url)
  await expect(page.getByRole('contentinfo').getByTestId('transport')).toHaveText('websocket')
  await openConsole(page, 'First')
  await expect.poll(() => handles.length).toBe(1)
  const first = handles[0]!
  // Visible: the clock's redraw arrives every second.
  const v0 = await bytes(porthole, first)
  await expect.poll(() => bytes(porthole, first), { timeout: 5_000 }).toBeGreaterThan(v0)

  // Hidden behind the second console: after the update in flight, nothing more for 3 s.
  await openConsole(page, 'Second')
  await new Promise((r) => setTimeout(r, 1500))
  const h0 = await bytes(porthole, first)
  await new Promise((r) => setTimeout(r, 3000))
  expect(await bytes(porthole, first)).toBe(h0)

  // Shown again: a full frame (720×400×4 bytes, at least) comes at once.
  await page.getByRole('tab', { name: 'First' }).click()
  await expect.poll(() => bytes(porthole, first), { timeout: 5_000 }).toBeGreaterThan(h0 + 720 * 400 * 4)
})
