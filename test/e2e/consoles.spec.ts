// Consoles in Chromium against real QEMU guests (the lab boot sector: a known screen, keys
// echoed to the serial log): a plain VNC profile (TCP through the relay, the VNC password
// answered in main), a vCenter lab VM through its WebMKS "ESXi" listener (its own certificate,
// trusted in the prompt; a killed source drops the tab, which reconnects with a new ticket), and
// a serial console through the OpenStack lab's serial proxy. Every WebSocket frame the page sends
// or receives is recorded: no ticket, token or password may appear in any of them.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { buildBootImage } from '../../lab/consoles/boot-image'
import { startQemuVm, type QemuVm } from '../../lab/consoles/qemu'
import { parseSerialKeys, SERIAL_BANNER } from '../../lab/consoles/serial-log'
import { startOpenstackLab, type OpenstackLab } from '../../lab/openstack/simulator'
import { startVsphereLab, type VsphereLab } from '../../lab/vsphere/simulator'
import { addOpenstackLabProfile } from './console-helpers'
import { expect, MASTER_PASSWORD, saveScreenshot, test, type Porthole } from './fixtures'

/** QEMU's VNC password is 8 characters at most. */
const VNC_PASSWORD = 'Qx7!pw9z'

const cleanups: Array<() => unknown> = []
test.afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Every WebSocket frame the page sends or receives (the contract transport and the console relay), as latin1 text. */
function recordFrames(page: Page): string[] {
  const frames: string[] = []
  page.on('websocket', (ws) => {
    const keep = (f: { payload: string | Buffer }): void => {
      frames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('latin1'))
    }
    ws.on('framesent', keep)
    ws.on('framereceived', keep)
  })
  return frames
}

function expectNoSecrets(frames: string[], secrets: string[]): void {
  expect(frames.length).toBeGreaterThan(10)
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(5)
    const hit = frames.find((f) => f.includes(secret))
    expect(hit, `a renderer frame carries ${secret.slice(0, 4)}…`).toBeUndefined()
  }
}

async function openShell(page: Page, porthole: Porthole): Promise<void> {
  await page.goto(porthole.url)
  await expect(page.getByRole('contentinfo').getByTestId('transport')).toHaveText('websocket')
}

function vmRow(page: Page, name: string): Locator {
  return page.getByRole('grid', { name: 'Virtual machines' }).getByRole('row').filter({ has: page.getByRole('gridcell', { name, exact: true }) })
}

/** Finds the VM in the VMs tab (Ctrl+F, filter) and returns its row. */
async function findVm(page: Page, name: string): Promise<Locator> {
  await page.keyboard.press('Control+f')
  await page.getByRole('searchbox').fill(name)
  const row = vmRow(page, name)
  await expect(row).toBeVisible({ timeout: 15_000 })
  return row
}

function consoleOf(page: Page, name: string): Locator {
  return page.getByRole('region', { name: `Console of ${name}` })
}

/**
 * Samples a real screenshot of the console's canvas (as displayed, scaled) at the centres of
 * the boot sector's bands (lab/consoles/README.md): blue, green, red, then black beside the banner.
 */
async function bandColours(page: Page, canvas: Locator): Promise<number[][]> {
  const png = (await canvas.screenshot()).toString('base64')
  return page.evaluate(async (b64) => {
    const img = new Image()
    img.src = `data:image/png;base64,${b64}`
    await img.decode()
    const c = document.createElement('canvas')
    c.width = img.width
    c.height = img.height
    const ctx = c.getContext('2d')!
    ctx.drawImage(img, 0, 0)
    const at = (fx: number, fy: number): number[] => Array.from(ctx.getImageData(Math.floor(fx * img.width), Math.floor(fy * img.height), 1, 1).data.slice(0, 3))
    return [at(0.5, 0.12), at(0.5, 0.36), at(0.5, 0.6), at(0.6, 0.745)]
  }, png)
}

function near(actual: number[], expected: number[]): boolean {
  return actual.every((v, i) => Math.abs(v - expected[i]!) <= 16)
}

async function expectKnownScreen(page: Page, screen: Locator): Promise<void> {
  const canvas = screen.locator('canvas')
  await expect(canvas).toBeVisible()
  await expect
    .poll(async () => {
      const [blue, green, red, black] = await bandColours(page, canvas)
      return near(blue!, [0, 0, 0xa8]) && near(green!, [0, 0xa8, 0]) && near(red!, [0xa8, 0, 0]) && near(black!, [0, 0, 0])
    }, { timeout: 15_000, message: 'the known screen: blue, green and red bands over black' })
    .toBe(true)
}

async function waitForSerialKeys(vm: QemuVm, predicate: (k: ReturnType<typeof parseSerialKeys>) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const keys = parseSerialKeys(vm.serialLog())
    if (predicate(keys)) return
    if (Date.now() > deadline) {
      const tail = keys.scancodes.slice(-40).map((c) => c.toString(16).padStart(2, '0')).join(' ')
      throw new Error(`timed out waiting for ${what}; the guest's last scancodes: ${tail}; text: ${JSON.stringify(keys.text.slice(-60))}; banners: ${vm.serialLog().split(SERIAL_BANNER).length - 1}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

function containsRun(haystack: number[], needle: number[]): boolean {
  for (let i = 0; i + needle.length <= haystack.length; i++) if (needle.every((n, j) => haystack[i + j] === n)) return true
  return false
}

test('a plain VNC host: known screen, typing, paste as keys, Ctrl+Alt+Del, keyboard capture and release; the password stays in main', async ({ page, porthole, pageErrors }) => {
  test.setTimeout(90_000)
  const frames = recordFrames(page)
  const dir = tempDir('porthole-e2e-vnc-')
  const vm = await startQemuVm({ name: 'vnc-e2e', bootImage: await buildBootImage(dir), dir: path.join(dir, 'vm'), password: VNC_PASSWORD })
  cleanups.push(() => vm.stop())
  await vm.waitForSerial(SERIAL_BANNER)
  const added = await porthole.api.call('profiles.add', { kind: 'vnc', name: 'Build box', host: '127.0.0.1', port: vm.vncPort, secret: VNC_PASSWORD })
  expect(added.ok).toBe(true)

  await openShell(page, porthole)
  // A VNC profile is a one-VM inventory: its console is "the VM"; Enter opens it.
  const row = await findVm(page, 'Build box')
  await row.click()
  await page.keyboard.press('Enter')
  const console_ = consoleOf(page, 'Build box')
  await expect(console_.getByTestId('console-state')).toHaveText(/^Connected · 720×400 · handshake \d+ ms$/, { timeout: 20_000 })
  const screen = console_.getByTestId('console-screen')
  await expectKnownScreen(page, screen)
  await saveScreenshot(page, 'console-vnc')

  // Keyboard: a click captures it (ring and indicator), typing reaches the guest.
  await screen.locator('canvas').click()
  await expect(console_.getByTestId('keyboard-captured')).toHaveText('Keyboard captured')
  await expect(console_).toHaveClass(/is-captured/)
  await page.keyboard.type('hello porthole')
  await waitForSerialKeys(vm, (k) => k.text.includes('hello porthole'), 'typed text in the guest')

  // Ctrl+Alt+Del from the toolbar: left Ctrl, left Alt, Delete (E0 53).
  await console_.getByRole('button', { name: 'Ctrl+Alt+Del' }).click()
  await waitForSerialKeys(vm, (k) => containsRun(k.scancodes, [0x1d, 0x38, 0xe0, 0x53]), 'Ctrl+Alt+Del scancodes 1d 38 e0 53')
  await waitForSerialKeys(vm, (k) => containsRun(k.scancodes, [0xe0, 0xd3, 0xb8, 0x9d]), 'and their releases')

  // Another combination from the menu: Ctrl+Alt+F2 (F2 is 3c).
  await console_.getByRole('button', { name: 'Keys ▾' }).click()
  await console_.getByRole('menuitem', { name: 'Ctrl+Alt+F2' }).click()
  await waitForSerialKeys(vm, (k) => containsRun(k.scancodes, [0x1d, 0x38, 0x3c]), 'Ctrl+Alt+F2')

  // Paste as keystrokes: capitals and symbols need Shift, which the tab holds itself.
  await console_.getByRole('button', { name: 'Paste as keys…' }).click()
  const paste = console_.getByRole('dialog', { name: 'Paste as keystrokes' })
  await paste.getByRole('textbox').fill('Pasted: Hello, World! 42')
  await paste.getByRole('button', { name: 'Type it' }).click()
  await waitForSerialKeys(vm, (k) => k.text.includes('Pasted: Hello, World! 42'), 'pasted text in the guest')
  await expectKnownScreen(page, screen)
  await saveScreenshot(page, 'console-vnc-typed')

  // Ctrl+Alt+Shift gives the keyboard back; the release button is always there.
  await screen.locator('canvas').click()
  await expect(console_.getByTestId('keyboard-captured')).toHaveText('Keyboard captured')
  await page.keyboard.down('Control')
  await page.keyboard.down('Alt')
  await page.keyboard.down('Shift')
  await page.keyboard.up('Shift')
  await page.keyboard.up('Alt')
  await page.keyboard.up('Control')
  await expect(console_.getByTestId('keyboard-captured')).toHaveText('Keyboard free')
  await expect(console_.getByRole('button', { name: 'Capture keyboard' })).toBeFocused()

  // Screenshot to PNG.
  const download = page.waitForEvent('download')
  await console_.getByRole('button', { name: 'Screenshot' }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^Build_box-.*\.png$/)
  const png = fs.readFileSync(await file.path())
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')

  // The console wall shows it; a click opens its tab.
  await page.getByRole('button', { name: 'Console wall' }).click()
  const tile = page.getByRole('button', { name: /^Build box: Connected\. Open its tab\.$/ })
  await expect(tile).toBeVisible()
  await saveScreenshot(page, 'console-wall')
  await tile.click()
  await expect(console_).toBeVisible()

  // Locking the vault closes the console; unlocking brings the tab back with a new session.
  await page.getByRole('button', { name: 'Lock vault' }).click()
  const unlock = page.locator('.vault-screen')
  await expect(unlock.getByLabel('Master password', { exact: true })).toBeVisible()
  await expect(console_).toHaveCount(0)
  await unlock.getByLabel('Master password', { exact: true }).fill(MASTER_PASSWORD)
  await unlock.getByRole('button', { name: 'Unlock' }).click()
  await page.getByRole('tab', { name: 'Build box' }).click()
  await expect(console_.getByTestId('console-state')).toHaveText(/^Connected · 720×400/, { timeout: 20_000 })

  // Nothing the page saw carries the VNC password.
  expectNoSecrets(frames, [VNC_PASSWORD])
  expect(pageErrors).toEqual([])
})

test('a vCenter lab VM through WebMKS: trust the ESXi certificate, known screen; a killed source reconnects with a new ticket', async ({ page, porthole, pageErrors }) => {
  test.setTimeout(120_000)
  const frames = recordFrames(page)
  const dir = tempDir('porthole-e2e-vc-')
  const lab: VsphereLab = await startVsphereLab({ vms: 8, seed: 5, dataDir: dir, webmks: { backend: 'qemu' }, faults: { poweredOffFraction: 0, suspendedFraction: 0 } })
  cleanups.push(() => lab.stop())
  const webmks = lab.webmks!
  // Record every ticket the lab issues: none may reach the page.
  const issued: string[] = []
  const issue = lab.tickets.issue.bind(lab.tickets)
  lab.tickets.issue = (vmId, type) => {
    const record = issue(vmId, type)
    issued.push(record.id)
    return record
  }
  const target = lab.state.inv.vms[0]!

  const added = await porthole.api.call('profiles.add', { kind: 'vsphere', name: 'Lab vCenter', endpoint: lab.url, user: lab.user, trust: { mode: 'pinned' }, secret: lab.password })
  if (!added.ok) throw new Error(added.error.message)
  // The vCenter's own certificate is pinned as the demo lab does; the ESXi host's is asked in the UI.
  const trust = porthole.host.host.trust
  const probe = await trust.probe(added.value.id, lab.url, { mode: 'pinned' })
  await trust.trust(added.value.id, probe.host, probe.port, probe.certificate.fingerprint256)

  await openShell(page, porthole)
  const row = await findVm(page, target.name)
  await row.dblclick()
  const prompt = page.getByRole('dialog', { name: /Trust the certificate of 127\.0\.0\.1/ })
  await expect(prompt).toBeVisible({ timeout: 20_000 })
  const fingerprint = webmks.certificate().sha256
  await expect(prompt).toContainText(fingerprint.slice(0, 11))
  await saveScreenshot(page, 'console-esxi-trust')
  await prompt.getByRole('button', { name: 'Trust and connect' }).click()

  const console_ = consoleOf(page, target.name)
  await expect(console_.getByTestId('console-state')).toHaveText(/^Connected · 720×400/, { timeout: 30_000 })
  await expectKnownScreen(page, console_.getByTestId('console-screen'))
  await saveScreenshot(page, 'console-webmks')
  const firstTickets = webmks.accepted()

  // The console source dies: the tab says so, counts down, and reconnects with a fresh ticket
  // (the lab then starts the VM's console source again).
  await webmks.sources.close(target.id)
  await expect(console_.getByTestId('console-overlay')).toContainText(/Disconnected/, { timeout: 10_000 })
  await expect(console_.getByTestId('console-reason')).toContainText(/console/)
  await saveScreenshot(page, 'console-disconnected')
  await expect(console_.getByTestId('console-state')).toHaveText(/^Connected · 720×400/, { timeout: 30_000 })
  expect(webmks.accepted()).toBeGreaterThan(firstTickets)
  await expectKnownScreen(page, console_.getByTestId('console-screen'))
  await saveScreenshot(page, 'console-reconnected')

  // A second console at the same time: both live, both on the wall and in the status bar.
  const other = lab.state.inv.vms[1]!
  const otherRow = await findVm(page, other.name)
  await otherRow.click({ button: 'right' })
  await page.getByRole('menuitem', { name: 'Open console' }).click()
  await expect(consoleOf(page, other.name).getByTestId('console-state')).toHaveText(/^Connected · 720×400/, { timeout: 30_000 })
  await expect(page.getByTestId('consoles-status')).toHaveText('2 consoles')
  await page.getByTestId('consoles-status').click()
  const tiles = page.getByRole('list', { name: 'Open consoles' }).getByRole('listitem')
  await expect(tiles).toHaveCount(2)
  await expect(page.getByRole('button', { name: `${target.name}: Connected. Open its tab.` })).toBeVisible()
  await saveScreenshot(page, 'console-wall-two')
  await page.getByRole('button', { name: `${target.name}: Connected. Open its tab.` }).click()
  await expect(page.getByRole('tab', { name: target.name })).toHaveAttribute('aria-selected', 'true')

  // VMRC needs the desktop app: the browser harness says so.
  const vmrcRow = await findVm(page, other.name)
  await vmrcRow.click({ button: 'right' })
  await page.getByRole('menuitem', { name: 'Open in VMRC' }).click()
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('VMRC needs the desktop app')

  expect(issued.length).toBeGreaterThanOrEqual(3)
  expectNoSecrets(frames, [...issued, lab.password])
  // noVNC logs the failed first connection (the certificate not trusted yet) itself; nothing else may be logged.
  expect(pageErrors.filter((e) => !/^console: Failed when connecting: Connection closed/.test(e))).toEqual([])
})

test('a serial console through the OpenStack lab: the guest echoes what is typed', async ({ page, porthole, pageErrors }) => {
  test.setTimeout(90_000)
  const frames = recordFrames(page)
  const dir = tempDir('porthole-e2e-os-')
  const lab: OpenstackLab = await startOpenstackLab({ vms: 4, seed: 3, dataDir: dir, consoleBackend: 'qemu', faults: { poweredOffFraction: 0 } })
  cleanups.push(() => lab.stop())
  await addOpenstackLabProfile(porthole, lab, dir)

  await openShell(page, porthole)
  const server = [...lab.world.servers.values()].find((s) => s.project.name === lab.project)!
  const row = await findVm(page, server.name)
  await row.click({ button: 'right' })
  await page.getByRole('menuitem', { name: 'Open serial console' }).click()
  const console_ = consoleOf(page, server.name)
  await expect(console_.getByTestId('console-state')).toHaveText(/^Connected/, { timeout: 30_000 })
  await console_.getByTestId('console-screen').click()
  await expect(console_.getByTestId('keyboard-captured')).toHaveText('Keyboard captured')
  await page.keyboard.type('echo from porthole')
  // The boot sector echoes serial input back raw: the terminal shows the guest's output.
  await expect(console_.getByTestId('console-screen')).toContainText('echo from porthole', { timeout: 15_000 })
  await saveScreenshot(page, 'console-serial')
  // xterm.js's own CSS goes through constructed stylesheets: no CSP violation, no runtime <style>.
  expect(await page.locator('style').count()).toBe(0)
  expect(pageErrors).toEqual([])
  expectNoSecrets(frames, [lab.password])
})

test('the demo lab: a demo VM console opens through the lab ESXi host, view-only keeps keys out', async ({ page, porthole }) => {
  test.setTimeout(90_000)
  const frames = recordFrames(page)
  await openShell(page, porthole)
  await page.getByRole('button', { name: 'Try the demo lab' }).click()
  await expect(page.getByTestId('vm-count')).toHaveAttribute('data-total', '1200', { timeout: 30_000 })
  // A powered-on guest of the demo (seed 1), as the process viewer's spec uses.
  const name = 'dns-prod-01'
  await page.getByRole('searchbox').fill(name)
  const row = vmRow(page, name)
  await row.click({ button: 'right' })
  await page.getByRole('menuitem', { name: 'Open console' }).click()
  // The demo's ESXi host has its own certificate: the prompt asks once.
  const prompt = page.getByRole('dialog', { name: /Trust the certificate of 127\.0\.0\.1/ })
  await expect(prompt).toBeVisible({ timeout: 20_000 })
  await prompt.getByRole('button', { name: 'Trust and connect' }).click()
  const console_ = consoleOf(page, name)
  await expect(console_.getByTestId('console-state')).toHaveText(/^Connected · \d+×\d+/, { timeout: 30_000 })
  await expect(console_.getByTestId('console-screen').locator('canvas')).toBeVisible()
  await console_.getByRole('button', { name: 'View only' }).click()
  await expect(console_.getByRole('button', { name: 'View only' })).toHaveAttribute('aria-pressed', 'true')
  await expect(console_.getByRole('button', { name: 'Ctrl+Alt+Del' })).toBeDisabled()
  await saveScreenshot(page, 'console-demo')
  // In the browser harness, detaching and VMRC say plainly that they need the desktop app.
  await console_.getByRole('button', { name: 'Detach' }).click()
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText(/needs the desktop app/)
  expect(frames.some((f) => f.includes('/ticket/'))).toBe(false)
})
