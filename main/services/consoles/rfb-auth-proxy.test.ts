import { describe, expect, it } from 'vitest'
import { RfbHandshakeError, handshakeIo, proxyVncAuth, type HandshakeIo } from './rfb-auth-proxy'
import { vncAuthResponse } from './vnc-auth'

/** Two connected in-memory ends: what one writes, the other reads. */
function pair(): [HandshakeIo, HandshakeIo] {
  const sinks: Array<(b: Buffer) => void> = []
  const make = (i: 0 | 1): HandshakeIo =>
    handshakeIo(
      Buffer.alloc(0),
      (data) => queueMicrotask(() => sinks[1 - i]!(data)),
      (onChunk) => {
        sinks[i] = onChunk
        return () => undefined
      },
    )
  return [make(0), make(1)]
}

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}

describe('proxyVncAuth', () => {
  it('answers an RFB 3.3 server that decides on VNC Authentication', async () => {
    const [relayUp, server] = pair()
    const [relayDown, tab] = pair()
    const challenge = Buffer.alloc(16, 7)
    const serverSide = (async () => {
      server.write(Buffer.from('RFB 003.003\n'))
      expect((await server.read(12)).toString()).toBe('RFB 003.003\n')
      server.write(Buffer.concat([u32(2), challenge]))
      expect((await server.read(16)).equals(vncAuthResponse('pw', challenge))).toBe(true)
      server.write(u32(0))
    })()
    const tabSide = (async () => {
      expect((await tab.read(12)).toString()).toBe('RFB 003.008\n')
      tab.write(Buffer.from('RFB 003.008\n'))
      expect([...(await tab.read(2))]).toEqual([1, 1])
      tab.write(Buffer.from([1]))
      expect((await tab.read(4)).readUInt32BE(0)).toBe(0)
    })()
    await Promise.all([proxyVncAuth(relayUp, relayDown, 'pw'), serverSide, tabSide])
  })

  it('passes an RFB 3.7 server that offers None without a SecurityResult', async () => {
    const [relayUp, server] = pair()
    const [relayDown, tab] = pair()
    const serverSide = (async () => {
      server.write(Buffer.from('RFB 003.007\n'))
      expect((await server.read(12)).toString()).toBe('RFB 003.007\n')
      server.write(Buffer.from([1, 1]))
      expect([...(await server.read(1))]).toEqual([1])
    })()
    const tabSide = (async () => {
      await tab.read(12)
      tab.write(Buffer.from('RFB 003.007\n'))
      await tab.read(2)
      tab.write(Buffer.from([1]))
    })()
    await Promise.all([proxyVncAuth(relayUp, relayDown, 'pw'), serverSide, tabSide])
  })

  it('refuses servers that want security types it does not speak, and names them', async () => {
    const [relayUp, server] = pair()
    const [relayDown] = pair()
    server.write(Buffer.from('RFB 003.008\n'))
    server.write(Buffer.from([2, 18, 19])) // TLS, VeNCrypt
    const refused = proxyVncAuth(relayUp, relayDown, 'pw')
    await expect(refused).rejects.toBeInstanceOf(RfbHandshakeError)
    await expect(refused).rejects.toThrow('security types Porthole does not speak (18 TLS, 19 VeNCrypt)')
  })

  it('says what a server that does not speak RFB sent (an SSH port)', async () => {
    const [relayUp, server] = pair()
    const [relayDown] = pair()
    server.write(Buffer.from('SSH-2.0-OpenSSH_9.2p1\r\n'))
    await expect(proxyVncAuth(relayUp, relayDown, 'pw')).rejects.toThrow('the console does not speak RFB 3.x: it sent "SSH-2.0-Open"')
  })

  it('answers a RealVNC server announcing RFB 005.000 as 3.8', async () => {
    const [relayUp, server] = pair()
    const [relayDown, tab] = pair()
    const serverSide = (async () => {
      server.write(Buffer.from('RFB 005.000\n'))
      expect((await server.read(12)).toString()).toBe('RFB 003.008\n')
      server.write(Buffer.from([1, 1]))
      expect([...(await server.read(1))]).toEqual([1])
      server.write(u32(0))
    })()
    const tabSide = (async () => {
      await tab.read(12)
      tab.write(Buffer.from('RFB 003.008\n'))
      await tab.read(2)
      tab.write(Buffer.from([1]))
      expect((await tab.read(4)).readUInt32BE(0)).toBe(0)
    })()
    await Promise.all([proxyVncAuth(relayUp, relayDown, 'pw'), serverSide, tabSide])
  })

  it('reports the reason a server gives when it refuses outright', async () => {
    const [relayUp, server] = pair()
    const [relayDown] = pair()
    server.write(Buffer.from('RFB 003.008\n'))
    const reason = Buffer.from('Too many security failures')
    server.write(Buffer.concat([Buffer.from([0]), u32(reason.length), reason]))
    await expect(proxyVncAuth(relayUp, relayDown, 'pw')).rejects.toThrow(/refused the connection: Too many security failures/)
  })
})
