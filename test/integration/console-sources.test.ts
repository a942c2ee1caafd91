// ConsoleSources (lab/consoles): one console source per demo VM, QEMU where installed,
// the built-in RFB server otherwise, and the `consoles` simulator of `npm run lab`.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConsoleSources } from '../../lab/consoles/console-sources'
import { qemuVersion } from '../../lab/consoles/qemu'
import { consolesSimulator } from '../../lab/consoles/simulator'
import { SERIAL_BANNER } from '../../lab/consoles/serial-log'
import { RfbClient } from '../helpers/rfb-client'

const version = await qemuVersion()
if (!version) console.warn('console-sources: QEMU cases SKIPPED, qemu-system-x86_64 is not installed')

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-sources-'))
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('console sources', () => {
  it('serves the built-in RFB server when asked to, with keys and passwords', async () => {
    const sources = new ConsoleSources({ dataDir: tempDir(), backend: 'builtin' })
    cleanups.push(() => sources.closeAll())
    expect(await sources.backend()).toBe('builtin')
    const src = await sources.open('vm-1', { name: 'builtin-1' })
    expect(src).toMatchObject({ kind: 'builtin', host: '127.0.0.1', serialPort: undefined })
    const c = await RfbClient.tcp(src.vncPort)
    cleanups.push(() => c.close())
    expect(c.name).toBe('builtin-1')
    c.type('ok')
    const deadline = Date.now() + 5000
    while (src.keys().length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(src.keys().map((k) => k.keysym)).toEqual([0x6f, 0x6f, 0x6b, 0x6b])
    await src.setPassword('pw')
    await expect(RfbClient.tcp(src.vncPort)).rejects.toThrow(/security types 2/)
  })

  it.skipIf(!version)('starts one QEMU per VM on demand, reuses it, and stops it', async () => {
    const sources = new ConsoleSources({ dataDir: tempDir(), maxQemu: 1 })
    cleanups.push(() => sources.closeAll())
    expect(await sources.backend()).toBe('qemu')
    const [a, again] = await Promise.all([sources.open('vm-a', { name: 'a' }), sources.open('vm-a', { name: 'a' })])
    expect(again).toBe(a)
    expect(a.kind).toBe('qemu')
    expect(a.serialPort).toBeGreaterThan(0)
    await a.qemu!.waitForSerial(SERIAL_BANNER)
    // Past maxQemu, a VM gets the built-in server rather than another QEMU.
    const b = await sources.open('vm-b', { name: 'b' })
    expect(b.kind).toBe('builtin')
    const pid = a.qemu!.pid
    expect(alive(pid)).toBe(true)
    await sources.close('vm-a')
    expect(alive(pid)).toBe(false)
    const c = await sources.open('vm-c', { name: 'c' })
    expect(c.kind).toBe('qemu')
  })

  it('runs as the lab simulator and prints a plain VNC endpoint', async () => {
    const sim = await consolesSimulator.start({ vms: 1, seed: 1, dataDir: tempDir() })
    cleanups.push(() => sim.stop())
    const vnc = sim.endpoints.vnc ?? ''
    expect(vnc).toMatch(/^127\.0\.0\.1:\d+$/)
    const c = await RfbClient.tcp(Number(vnc.split(':')[1]))
    cleanups.push(() => c.close())
    await c.waitFor(() => c.updates > 0, 'a frame')
    expect(c.name).toMatch(/demo-vnc/)
  })
})
