// TigerVNC's Xvnc at the RFB level, with a client that knows only plain cut text (no extended
// clipboard): what the lab helper promises (127.0.0.1 only, the password, no blacklisting) and
// what Xvnc does with a legacy client's clipboard (Latin-1 both ways, "?" for the rest).
import fs from 'node:fs'
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { portIsFree } from '../../lab/consoles/free-port'
import { startTigervnc, tigervncVersion, TIGERVNC_PACKAGES, type Tigervnc } from '../../lab/consoles/tigervnc'
import { RfbClient } from '../helpers/rfb-client'
import { until } from '../helpers/until'

const version = await tigervncVersion()
if (!version) console.warn(`console-tigervnc: SKIPPED, Xtigervnc or xclip is not installed (apt-get install ${TIGERVNC_PACKAGES})`)

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function xvnc(password?: string): Promise<Tigervnc> {
  const tv = await startTigervnc({ name: 'tiger-rfb', ...(password !== undefined ? { password } : {}) })
  cleanups.push(() => tv.stop())
  return tv
}

async function client(port: number, password?: string): Promise<RfbClient> {
  const c = await RfbClient.tcp(port, password !== undefined ? { password } : {})
  cleanups.push(() => c.close())
  return c
}

/** Whether something accepts a TCP connection on host:port. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port })
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
  })
}

describe.skipIf(!version)('TigerVNC (Xtigervnc) lab server', () => {
  it('listens on 127.0.0.1 only, asks for the password, and does not blacklist after many wrong ones', async () => {
    const tv = await xvnc('tiger-pw')
    expect(await accepts('127.0.0.1', tv.port)).toBe(true)
    expect(await accepts('::1', tv.port)).toBe(false)
    // TigerVNC's default blacklists a host after 5 failures; the helper raises that.
    for (let i = 0; i < 7; i++) {
      await expect(RfbClient.tcp(tv.port, { password: `wrong${i}` })).rejects.toThrow(/Authentication failure/)
    }
    const c = await client(tv.port, 'tiger-pw')
    expect(c.name).toBe('tiger-rfb')
    expect([c.width, c.height]).toEqual([800, 600])
  })

  it('plain cut text: a guest copy arrives as Latin-1 with "?" for the rest; a client copy lands in CLIPBOARD and PRIMARY', async () => {
    const tv = await xvnc()
    const c = await client(tv.port)
    await tv.setClipboard('café → 5 €')
    await c.waitFor(() => c.cutTexts.length > 0, 'ServerCutText')
    expect(c.cutTexts).toEqual(['café ? 5 ?'])

    c.cutText('naïve')
    await until('the guest clipboard holds the client copy', async () => (await tv.readClipboard('clipboard')) === 'naïve', 10_000)
    expect(await tv.readClipboard('primary')).toBe('naïve')
  })

  it('stop ends Xvnc, frees its port and removes its temp dir', async () => {
    const tv = await startTigervnc()
    expect(fs.existsSync(tv.dir)).toBe(true)
    await tv.stop()
    expect(fs.existsSync(tv.dir)).toBe(false)
    expect(await portIsFree(tv.port)).toBe(true)
    expect(() => process.kill(tv.pid, 0)).toThrow()
  })
})
