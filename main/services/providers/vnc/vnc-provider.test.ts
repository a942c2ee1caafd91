import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { startRfbServer } from '../../../../lab/consoles/rfb-server'
import { createVncProvider, probeRfb, VNC_VM_ID } from './vnc-provider'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})
const signal = new AbortController().signal

async function tcpServer(onSocket: (s: net.Socket) => void): Promise<number> {
  const server = net.createServer(onSocket)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  cleanups.push(() => new Promise((r) => server.close(r)))
  return (server.address() as net.AddressInfo).port
}

describe('VNC provider', () => {
  it('is a one-VM inventory whose console is raw TCP with the password kept in main', async () => {
    const server = await startRfbServer({ name: 'box', password: 'pw' })
    cleanups.push(() => server.close())
    const provider = createVncProvider({ id: 'p1', fields: { kind: 'vnc', name: 'Build box', host: '127.0.0.1', port: server.port }, secret: 'pw' })
    await provider.login(signal)
    const pages = []
    for await (const page of provider.listVms(signal)) pages.push(page)
    expect(pages).toEqual([
      { vms: [{ ref: { connectionId: 'p1', id: VNC_VM_ID }, name: 'Build box', power: 'on', host: `127.0.0.1:${server.port}`, provider: 'vnc', raw: { address: `127.0.0.1:${server.port}` } }] },
    ])
    await expect(provider.consoleTicket(VNC_VM_ID, 'rfb', signal)).resolves.toEqual({ kind: 'rfb', url: `tcp://127.0.0.1:${server.port}`, password: 'pw' })
    await expect(provider.consoleTicket(VNC_VM_ID, 'serial', signal)).rejects.toMatchObject({ code: 'UNSUPPORTED' })
    await expect(provider.consoleTicket('other', 'rfb', signal)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(provider.power(VNC_VM_ID, 'on', signal)).rejects.toMatchObject({ code: 'UNSUPPORTED' })
  })

  it('login says what is wrong: nothing listening, not VNC, silent', async () => {
    const closed = await tcpServer((s) => s.destroy())
    const http = await tcpServer((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'))
    const silent = await tcpServer(() => undefined)
    const refused = await tcpServer(() => undefined)
    cleanups.pop()!()
    await expect(probeRfb('127.0.0.1', http, 2000, signal)).rejects.toMatchObject({ code: 'PROVIDER_ERROR' })
    await expect(probeRfb('127.0.0.1', closed, 2000, signal)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' })
    await expect(probeRfb('127.0.0.1', silent, 200, signal)).rejects.toMatchObject({ code: 'TIMEOUT' })
    await expect(probeRfb('127.0.0.1', refused, 2000, signal)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', message: expect.stringMatching(/ECONNREFUSED/) })
  })

  it('a host that does not answer is listed with unknown power', async () => {
    const port = await tcpServer(() => undefined)
    cleanups.pop()!()
    const provider = createVncProvider({ id: 'p2', fields: { kind: 'vnc', name: 'Gone', host: '127.0.0.1', port }, secret: undefined, timeoutMs: 500 })
    for await (const page of provider.listVms(signal)) expect(page.vms[0]?.power).toBe('unknown')
  })
})
