// The connection doctor in Chromium, plain VNC profiles against the lab's built-in RFB server and
// its fault knobs: a console that stopped listening, a wrong VNC password, a port that answers
// with an SSH banner (noVNC speaks RFB itself: no password), a server offering only VeNCrypt and
// RA2ne (the relay speaks RFB: a password), the console cutting the session, and a console link
// left unused until it expired. Each shows its own step and message in the tab (screenshots), and
// "Copy diagnostics" copies the steps and timings without the VNC password.
import { startRfbServer, type RfbFaults, type RfbServer } from '../../lab/consoles/rfb-server'
import { Cleanups, closeConsole, expectDoctor, expectNoCanary, findVm, openConsole, openShell } from './console-doctor-helpers'
import { expect, saveScreenshot, test, type Porthole } from './fixtures'

const CANARY_PASSWORD = 'Cnry7pw!'
/** What the server with a password really wants: never typed anywhere, never copied either. */
const SERVER_PASSWORD = 'right-pw'

const cleanups = new Cleanups()
test.afterEach(() => cleanups.run())

async function rfbServer(options: { password?: string; faults?: RfbFaults } = {}): Promise<RfbServer> {
  const s = await startRfbServer({ name: 'doctor-vm', ...options })
  cleanups.add(() => s.close())
  return s
}

async function addVnc(porthole: Porthole, name: string, port: number, secret?: string): Promise<void> {
  const added = await porthole.api.call('profiles.add', { kind: 'vnc', name, host: '127.0.0.1', port, ...(secret !== undefined ? { secret } : {}) })
  expect(added.ok).toBe(true)
}

test('each VNC failure shows its own step and message; copied diagnostics carry no password', async ({ page, porthole, context }) => {
  test.setTimeout(90_000)
  const gone = await rfbServer()
  const withPassword = await rfbServer({ password: SERVER_PASSWORD })
  const sshPort = await rfbServer()
  const veNCrypt = await rfbServer({ password: SERVER_PASSWORD })
  const healthy = await rfbServer()
  await addVnc(porthole, 'Closed port', gone.port)
  await addVnc(porthole, 'Wrong password', withPassword.port, CANARY_PASSWORD)
  await addVnc(porthole, 'SSH port', sshPort.port)
  await addVnc(porthole, 'VeNCrypt only', veNCrypt.port, CANARY_PASSWORD)
  await addVnc(porthole, 'Dropping', healthy.port)
  await openShell(page, porthole, context)
  // The inventory lists each VM while its console greets like VNC; then the lab's knobs break them.
  for (const name of ['Closed port', 'Wrong password', 'SSH port', 'VeNCrypt only', 'Dropping']) await findVm(page, name)
  await gone.close()
  sshPort.setFaults({ banner: 'SSH-2.0-OpenSSH_9.2p1\r\n' })
  veNCrypt.setFaults({ securityTypes: [19, 6] })

  const copied: string[] = []
  const cases = [
    { name: 'Closed port', step: 'network', cause: 'port-closed', title: 'Nothing answers on the console’s port', reason: 'connection refused' },
    { name: 'Wrong password', step: 'rfb', cause: 'vnc-password', title: 'The VNC password is wrong', reason: 'Authentication failed' },
    // No password: noVNC speaks RFB in the tab, and says what the port sent instead.
    { name: 'SSH port', step: 'rfb', cause: 'rfb-version', title: 'The console does not speak VNC (RFB)', reason: 'Invalid server version 2.0-Ope' },
    // A password: the relay speaks RFB, and names the types offered.
    { name: 'VeNCrypt only', step: 'rfb', cause: 'rfb-security', title: 'The console asks for a login Porthole does not speak', reason: '(19 VeNCrypt, 6 RA2ne)' },
  ] as const
  for (const c of cases) {
    const console_ = await openConsole(page, c.name)
    copied.push(await expectDoctor(page, console_, c))
    if (c.cause === 'port-closed') expect(copied.at(-1)).toMatch(/network\s+FAILED\s+\d+ ms/)
    if (c.cause === 'vnc-password') expect(copied.at(-1)).toMatch(/network\s+ok\s+\d+ ms/)
  }

  // The console cuts a live session (lab knob): the tab names the drop while it reconnects.
  const dropping = await openConsole(page, 'Dropping')
  await expect(dropping.getByTestId('console-state')).toHaveText(/^Connected/, { timeout: 20_000 })
  healthy.dropConnections()
  copied.push(
    await expectDoctor(page, dropping, { step: 'session', cause: 'upstream-closed', title: 'The console closed the connection' }, 10_000).catch(async (err: unknown) => {
      // The reconnect may already have won: say so rather than time out obscurely.
      throw new Error(`the dropped session's doctor: ${(err as Error).message}; state now: ${await dropping.getByTestId('console-state').textContent()}`)
    }),
  )
  // And it comes back by itself with a new link.
  await expect(dropping.getByTestId('console-state')).toHaveText(/^Connected/, { timeout: 30_000 })
  await closeConsole(page, dropping, 'Dropping')

  expectNoCanary(copied, [CANARY_PASSWORD, SERVER_PASSWORD])
})

test.describe('a console link left unused', () => {
  // The relay's links live 30 s; here 1.5 s, so "unused" takes a second and a half, not half a minute.
  test.use({ consoleLinkTtlMs: 1500 })

  test('expires, and the tab says so; the next link works', async ({ page, porthole, context }) => {
    test.setTimeout(60_000)
    const healthy = await rfbServer()
    await addVnc(porthole, 'Idle link', healthy.port)
    // The first link reaches the tab late (a renderer that was frozen, a laptop that slept while
    // the answer was on its way): main's console.open answer is held until the relay says the
    // link expired; the tab then uses it for real and the relay refuses it (410). The second link
    // is held until the screenshot is taken, then the tab connects with it.
    let expired!: () => void
    const expiredSeen = new Promise<void>((resolve) => (expired = resolve))
    cleanups.add(
      porthole.api.on('console.state', (s) => {
        if (s.closedBy === 'expired') expired()
      }),
    )
    let release!: () => void
    const released = new Promise<void>((resolve) => (release = resolve))
    const links: string[] = []
    const service = porthole.host.host.consoles
    const open = service.open.bind(service)
    service.open = async (ref, kind, signal) => {
      const opened = await open(ref, kind, signal)
      if (opened.protocol === 'vmrc') return opened
      links.push(opened.relayUrl)
      await (links.length === 1 ? expiredSeen : released)
      return opened
    }
    await openShell(page, porthole, context)
    const console_ = await openConsole(page, 'Idle link')
    const copied = await expectDoctor(page, console_, { step: 'session', cause: 'idle', title: 'The console link expired unused', reason: 'expired before it was used' })
    release()
    await expect(console_.getByTestId('console-state')).toHaveText(/^Connected/, { timeout: 20_000 })
    expect(links).toHaveLength(2)
    await saveScreenshot(page, 'console-doctor-idle-reconnected')
    // The link's id is a secret too (it opens the console once): not in the report.
    expectNoCanary([copied], links.map((l) => l.replace(/^.*\/relay\//, '')))
  })
})
