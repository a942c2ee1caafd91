import { afterEach, describe, expect, it } from 'vitest'
import type { ConsoleStatus } from '../../../contract/consoles'
import { PortholeError } from '../../../contract/errors'
import { startRfbServer } from '../../../lab/consoles/rfb-server'
import { WsBridge } from '../../../lab/consoles/ws-bridge'
import { BAR_COLOURS } from '../../../lab/consoles/test-pattern'
import { RfbClient } from '../../../test/helpers/rfb-client'
import { memoryLog } from '../log/log'
import type { StoredProfile } from '../profiles/profile-records'
import type { ConsoleKind, ConsoleTicket, Provider } from '../providers/provider'
import { VNC_VM_ID } from '../providers/vnc/vnc-provider'
import { createConsoleService, ticketSecrets, withoutSecrets, type ConsoleDesktop, type ConsoleService } from './console-service'
import { ConsoleRelay } from './relay'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

const ORIGIN = 'http://127.0.0.1:5173'
const NOW = new Date().toISOString()
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const VC_ID = '00000000-0000-4000-8000-000000000001'
const VNC_ID = '00000000-0000-4000-8000-000000000002'

function vsphereProfile(): StoredProfile {
  return {
    id: VC_ID,
    fields: { kind: 'vsphere', name: 'VC', endpoint: 'https://vc.example.com:8443', user: 'u', trust: { mode: 'pinned' } },
    secret: 'pw',
    createdAt: NOW,
    updatedAt: NOW,
  }
}

function vncProfile(port: number, secret?: string): StoredProfile {
  return { id: VNC_ID, fields: { kind: 'vnc', name: 'Box', host: '127.0.0.1', port }, ...(secret ? { secret } : {}), createdAt: NOW, updatedAt: NOW }
}

function fakeProvider(ticket: (kind: ConsoleKind) => ConsoleTicket): Provider {
  return {
    kind: 'vsphere',
    connectionId: VC_ID,
    login: async () => undefined,
    logout: async () => undefined,
    async *listVms() {},
    power: async () => undefined,
    consoleTicket: async (_vm, kind) => ticket(kind),
  }
}

async function service(profiles: StoredProfile[], provider?: Provider, desktop?: ConsoleDesktop): Promise<{ svc: ConsoleService; states: ConsoleStatus[] }> {
  const relay = new ConsoleRelay({ log: memoryLog(), allowedOrigins: () => [ORIGIN] })
  const states: ConsoleStatus[] = []
  const svc = createConsoleService({
    relay,
    profile: (id) => {
      const p = profiles.find((x) => x.id === id)
      if (!p) throw new PortholeError('NOT_FOUND', 'no profile')
      return p
    },
    providerFor: () => {
      if (!provider) throw new PortholeError('PROVIDER_UNAVAILABLE', 'not connected')
      return provider
    },
    trust: { wsOptionsFor: () => ({}) },
    log: memoryLog(),
    ...(desktop ? { desktop } : {}),
    onState: (s) => states.push(s),
  })
  cleanups.push(() => svc.dispose())
  return { svc, states }
}

const signal = new AbortController().signal

async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('console service', () => {
  it('opens a VNC profile through the relay: the password is answered in main and never in the URL', async () => {
    const server = await startRfbServer({ name: 'box', password: 'secret12' })
    cleanups.push(() => server.close())
    const { svc, states } = await service([vncProfile(server.port, 'secret12')])
    const opened = await svc.open({ connectionId: VNC_ID, id: VNC_VM_ID }, 'rfb', signal)
    if (opened.protocol === 'vmrc') throw new Error('expected an embedded console')
    expect(opened.protocol).toBe('rfb')
    expect(opened.relayUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/relay\/[A-Za-z0-9_-]{43}$/)
    expect(JSON.stringify(opened)).not.toContain('secret12')
    expect(JSON.stringify(opened)).not.toContain(String(server.port))
    // No password on the renderer's side: the relay offered security type None.
    const client = await RfbClient.websocket(opened.relayUrl, { headers: { origin: ORIGIN } })
    cleanups.push(() => client.close())
    client.requestUpdate(false)
    await client.waitFor(() => client.pixel(10, 10) === BAR_COLOURS[0], 'the test pattern')
    await until(() => states.some((s) => s.handle === opened.handle && s.state === 'open'), 'the open state')
    expect(svc.status(opened.handle).state).toBe('open')
    expect(JSON.stringify(states)).not.toContain('secret12')
    svc.close(opened.handle)
    await until(() => states.some((s) => s.handle === opened.handle && s.state === 'closed'), 'the closed state')
  })

  it('bridges a WebMKS-style wss/ws ticket with its subprotocol; closeAll ends every session', async () => {
    const server = await startRfbServer({ name: 'vm' })
    cleanups.push(() => server.close())
    const bridge = new WsBridge({ requireProtocol: 'binary' })
    const http1 = http.createServer()
    bridge.attach(http1, (url) => url.pathname.replace(/^\/ticket\//, ''))
    await new Promise<void>((r) => http1.listen(0, '127.0.0.1', () => r()))
    cleanups.push(() => {
      bridge.close()
      return new Promise((r) => http1.close(r))
    })
    const port = (http1.address() as AddressInfo).port
    const issued: string[] = []
    const provider = fakeProvider(() => {
      const t = bridge.issue({ host: '127.0.0.1', port: server.port })
      issued.push(t)
      return { kind: 'rfb', url: `ws://127.0.0.1:${port}/ticket/${t}`, subprotocols: ['binary'] }
    })
    const { svc, states } = await service([vsphereProfile()], provider)
    const opened = await svc.open({ connectionId: VC_ID, id: 'vm-1' }, 'rfb', signal)
    if (opened.protocol === 'vmrc') throw new Error('expected an embedded console')
    expect(opened.relayUrl).not.toContain(issued[0]!)
    const client = await RfbClient.websocket(opened.relayUrl, { headers: { origin: ORIGIN } })
    cleanups.push(() => client.close())
    client.requestUpdate(false)
    await client.waitFor(() => client.pixel(10, 10) === BAR_COLOURS[0], 'the test pattern through the bridge')
    svc.closeAll('the vault was locked')
    await until(() => states.some((s) => s.handle === opened.handle && s.state === 'closed'), 'closed on lock')
    expect(states.find((s) => s.state === 'closed')?.reason).toBe('the vault was locked')
  })

  it('an unreachable console ends with a reason the tab can show', async () => {
    const { svc, states } = await service([vncProfile(1)])
    const opened = await svc.open({ connectionId: VNC_ID, id: VNC_VM_ID }, 'rfb', signal)
    if (opened.protocol === 'vmrc') throw new Error('expected an embedded console')
    await RfbClient.websocket(opened.relayUrl, { headers: { origin: ORIGIN } }).then(
      (c) => c.close(),
      () => undefined,
    )
    await until(() => states.some((s) => s.state === 'closed'), 'the failure')
    const closed = states.find((s) => s.state === 'closed')!
    expect(closed.error?.code).toBe('PROVIDER_UNAVAILABLE')
    expect(closed.reason).toMatch(/could not reach the console/)
  })

  describe('VMRC', () => {
    const good = (host = 'vc.example.com:8443', vm = 'vm-7'): ConsoleTicket => ({ kind: 'external', url: `vmrc://clone:cst-VCT-abc--tp-AA-BB@${host}/?moid=${vm}` })

    it('is UNSUPPORTED without the desktop app', async () => {
      const { svc } = await service([vsphereProfile()], fakeProvider(() => good()))
      await expect(svc.open({ connectionId: VC_ID, id: 'vm-7' }, 'vmrc', signal)).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/desktop app/) })
    })

    it('launches only the validated URL', async () => {
      const launched: string[] = []
      const desktop: ConsoleDesktop = { openVmrc: async (u) => void launched.push(u), openConsoleWindow: async () => undefined }
      const { svc } = await service([vsphereProfile()], fakeProvider(() => good()), desktop)
      await expect(svc.open({ connectionId: VC_ID, id: 'vm-7' }, 'vmrc', signal)).resolves.toEqual({ protocol: 'vmrc', launched: true })
      expect(launched).toEqual([good().url])
    })

    it('refuses a URL for another host or VM and launches nothing', async () => {
      const launched: string[] = []
      const desktop: ConsoleDesktop = { openVmrc: async (u) => void launched.push(u), openConsoleWindow: async () => undefined }
      for (const ticket of [good('evil.example.com'), good(undefined, 'vm-8')]) {
        const { svc } = await service([vsphereProfile()], fakeProvider(() => ticket), desktop)
        await expect(svc.open({ connectionId: VC_ID, id: 'vm-7' }, 'vmrc', signal)).rejects.toMatchObject({ code: 'PROVIDER_ERROR' })
      }
      expect(launched).toEqual([])
    })

    it('says how to get VMRC when nothing handles vmrc:// links', async () => {
      const desktop: ConsoleDesktop = { openVmrc: () => Promise.reject(new Error('no handler')), openConsoleWindow: async () => undefined }
      const { svc } = await service([vsphereProfile()], fakeProvider(() => good()), desktop)
      await expect(svc.open({ connectionId: VC_ID, id: 'vm-7' }, 'vmrc', signal)).rejects.toMatchObject({
        code: 'UNSUPPORTED',
        message: expect.stringMatching(/Install VMware Remote Console/),
      })
    })
  })

  it('detach is UNSUPPORTED without the desktop app', async () => {
    const { svc } = await service([vsphereProfile()])
    await expect(svc.detach({ connectionId: VC_ID, id: 'vm-1' }, 'rfb', 'VM')).rejects.toMatchObject({ code: 'UNSUPPORTED' })
  })
})

describe('console status words', () => {
  it('scrub the ticket URL, its path, its token and the password from reasons and errors', () => {
    const url = 'wss://esxi-7.example.com:443/ticket/4f1c2a0b9d8e7f6a5b4c3d2e1f0a9b8c'
    const secrets = ticketSecrets({ kind: 'rfb', url, password: 'vnc-secret-pw' })
    const status = withoutSecrets(
      {
        handle: 'AAAAAAAAAAAAAAAA',
        state: 'closed',
        bytesToRenderer: 0,
        bytesFromRenderer: 0,
        reason: `could not reach the console: Invalid URL: ${url}`,
        error: { code: 'PROVIDER_UNAVAILABLE', message: `GET /ticket/4f1c2a0b9d8e7f6a5b4c3d2e1f0a9b8c failed (vnc-secret-pw)`, retryable: true },
      },
      secrets,
    )
    expect(JSON.stringify(status)).not.toMatch(/4f1c2a0b9d8e7f6a5b4c3d2e1f0a9b8c|vnc-secret-pw/)
    expect(status.reason).toBe('could not reach the console: Invalid URL: …')
  })

  it('of a refused ticket carry no token end to end', async () => {
    const secretToken = 'tok-0123456789abcdef0123456789abcdef'
    const server = http.createServer()
    server.on('upgrade', (_req, socket) => socket.end(`HTTP/1.1 403 Forbidden ${secretToken}\r\nContent-Length: 0\r\n\r\n`))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    cleanups.push(() => new Promise((r) => server.close(r)))
    const port = (server.address() as AddressInfo).port
    const provider = fakeProvider(() => ({ kind: 'rfb', url: `ws://127.0.0.1:${port}/websockify?token=${secretToken}`, subprotocols: ['binary'] }))
    const { svc, states } = await service([vsphereProfile()], provider)
    const opened = await svc.open({ connectionId: VC_ID, id: 'vm-1' }, 'rfb', signal)
    if (opened.protocol === 'vmrc') throw new Error('expected an embedded console')
    await RfbClient.websocket(opened.relayUrl, { headers: { origin: ORIGIN } }).then(
      (c) => c.close(),
      () => undefined,
    )
    await until(() => states.some((s) => s.state === 'closed'), 'the failure')
    expect(JSON.stringify(states)).not.toContain(secretToken)
    expect(JSON.stringify(svc.status(opened.handle))).not.toContain(secretToken)
    expect(states.find((s) => s.state === 'closed')?.error?.code).toBe('PROVIDER_UNAVAILABLE')
  })
})
