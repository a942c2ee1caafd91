// Downloads against the vCenter lab through the real host: the ESXi host's certificate asked
// about on first use (naming that host, not vCenter), `*` replaced by the host that was called,
// one-shot and expiring URLs, power-off and cuts mid-transfer (no partial file left), a retry
// with a fresh URL whose bytes verify, cancel, the queue limit, and what the renderer may see.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Download } from '../../contract/downloads'
import { readContent } from '../../lab/vsphere/guest-file-content'
import { resolve as resolveGuestPath, fileTree } from '../../lab/vsphere/guest-files'
import { GUEST_PASSWORD } from '../../lab/vsphere/guest-auth'
import { resolveTransferUrl } from '../../main/services/downloads/transfer-url'
import { startDownloadsHarness, until, type DownloadsHarness } from './downloads-harness'

let h: DownloadsHarness

beforeAll(async () => {
  h = await startDownloadsHarness()
}, 30_000)
afterAll(async () => {
  await h?.close()
})

/** SHA-256 of what the lab serves for a guest file. */
function expectedHash(guestPath: string): { hash: string; size: number } {
  const node = resolveGuestPath(fileTree(h.lab.state, h.vm), guestPath)
  if (!node?.content) throw new Error(`no file ${guestPath}`)
  const hash = crypto.createHash('sha256')
  const step = 4 * 1024 * 1024
  for (let at = 0; at < node.content.size; at += step) hash.update(readContent(node.content, at, step))
  return { hash: hash.digest('hex'), size: node.content.size }
}

function fileHash(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')
}

/** A raw transfer URL straight from the lab's API (what the provider gets), for wire checks. */
async function rawTransferUrl(guestPath: string): Promise<string> {
  const ca = h.lab.certificate().cert
  const { Agent } = await import('undici')
  const agent = new Agent({ connect: { ca } })
  try {
    const login = await request(`${h.lab.url}/api/session`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${h.lab.user}:${h.lab.password}`).toString('base64')}` },
      dispatcher: agent,
    })
    const token = (await login.body.json()) as string
    const res = await request(`${h.lab.url}/api/vcenter/vm/${h.vm.id}/guest/filesystem?action=create`, {
      method: 'POST',
      headers: { 'vmware-api-session-id': token, 'content-type': 'application/json' },
      body: JSON.stringify({
        credentials: { type: 'USERNAME_PASSWORD', interactive_session: false, user_name: 'root', password: GUEST_PASSWORD },
        spec: { path: guestPath },
      }),
      dispatcher: agent,
    })
    expect(res.statusCode).toBe(201)
    return (await res.body.json()) as string
  } finally {
    await agent.close()
  }
}

/** GETs a resolved transfer URL trusting the ESXi listener's own certificate; returns the status. */
async function getOnce(url: URL): Promise<number> {
  const { Agent } = await import('undici')
  const agent = new Agent({ connect: { ca: h.lab.esxi.certificate().cert } })
  try {
    const res = await request(url, { dispatcher: agent })
    await res.body.dump({ limit: 1 << 30 })
    return res.statusCode
  } finally {
    await agent.close()
  }
}

describe('the lab\'s transfer URLs', () => {
  it('name the host as "*" with the ESXi listener\'s port; the ESXi certificate is not vCenter\'s', async () => {
    const raw = await rawTransferUrl('/home/demo/Downloads/small.bin')
    expect(raw).toMatch(new RegExp(`^https://\\*:${h.lab.esxi.port}/guestFile\\?id=\\d+&token=[0-9a-f]+$`))
    const resolved = resolveTransferUrl(raw, h.lab.url)
    expect(resolved.host).toBe(`127.0.0.1:${h.lab.esxi.port}`)
    expect(h.lab.esxi.certificate().sha256).not.toBe(h.lab.certificate().sha256)
  })

  it('are one-shot: a second GET of the same URL fails', async () => {
    const url = resolveTransferUrl(await rawTransferUrl('/home/demo/Downloads/small.bin'), h.lab.url)
    expect(await getOnce(url)).toBe(200)
    expect(await getOnce(url)).toBe(404)
  })

  it('die with a power off, even when the VM is back on before the GET', async () => {
    const url = resolveTransferUrl(await rawTransferUrl('/home/demo/Downloads/small.bin'), h.lab.url)
    await h.setVm({ power: 'POWERED_OFF' })
    await h.setVm({ power: 'POWERED_ON' })
    h.vm.toolsOverride = 'running'
    expect(await getOnce(url)).toBe(404)
  })

  it('expire (the validity knob shortened)', async () => {
    await h.setFaults({ transferTtlSeconds: 0.05 })
    try {
      const url = resolveTransferUrl(await rawTransferUrl('/home/demo/Downloads/small.bin'), h.lab.url)
      const issued = Date.now()
      await until('the URL to expire', () => Date.now() - issued > 120)
      expect(await getOnce(url)).toBe(404)
    } finally {
      await h.setFaults({ transferTtlSeconds: 600 })
    }
  })
})

describe('downloads through the host', () => {
  it('the first download asks about the ESXi host\'s certificate (its host and port), then works after trust', async () => {
    const first = await h.download('/home/demo/Downloads/sample-16MiB.bin')
    expect(first.state).toBe('failed')
    expect(first.error?.code).toBe('TLS_UNTRUSTED')
    expect(first.error?.detail).toMatchObject({ host: '127.0.0.1', port: h.lab.esxi.port, reason: 'unknown', trustable: true, fingerprint256: h.lab.esxi.certificate().sha256 })
    expect(h.files()).toEqual([])
    await h.trustFrom(first.error)
    await h.call('downloads.retry', { id: first.id })
    const done = await h.host.downloads.settled(first.id)
    expect(done).toMatchObject({ state: 'done', name: 'sample-16MiB.bin', bytes: 16 * 1024 * 1024, total: 16 * 1024 * 1024, attempts: 2 })
    expect(fileHash(path.join(h.downloadsDir, 'sample-16MiB.bin'))).toBe(expectedHash('/home/demo/Downloads/sample-16MiB.bin').hash)
    expect(h.files()).toEqual(['sample-16MiB.bin'])
  })

  it('a second download of the same file gets a collision suffix', async () => {
    const again = await h.download('/home/demo/Downloads/sample-16MiB.bin')
    expect(again).toMatchObject({ state: 'done', name: 'sample-16MiB (1).bin' })
    expect(h.files()).toEqual(['sample-16MiB (1).bin', 'sample-16MiB.bin'])
  })

  it('never shows the renderer a URL, a token or a local path', () => {
    const seen = JSON.stringify(h.events.filter((e) => e.name.startsWith('downloads.')))
    expect(seen).not.toContain('guestFile')
    expect(seen).not.toContain('token')
    expect(seen).not.toContain(h.downloadsDir)
    expect(seen).not.toContain(h.root)
    expect(h.events.some((e) => e.name === 'downloads.progress')).toBe(true)
  })

  it('a cut transfer fails clearly, leaves nothing behind, and a retry with a fresh URL verifies', async () => {
    await h.setFaults({ transferCutAfterBytes: 3 * 1024 * 1024 })
    let failed: Download
    try {
      failed = await h.download('/home/demo/Downloads/sample-16MiB.bin')
    } finally {
      await h.setFaults({ transferCutAfterBytes: 0 })
    }
    expect(failed.state).toBe('failed')
    expect(failed.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true })
    expect(failed.error?.message).toMatch(/cut after/)
    expect(h.files().filter((f) => f.endsWith('.part'))).toEqual([])
    await h.call('downloads.retry', { id: failed.id })
    const done = await h.host.downloads.settled(failed.id)
    expect(done.state).toBe('done')
    expect(fileHash(path.join(h.downloadsDir, done.name))).toBe(expectedHash('/home/demo/Downloads/sample-16MiB.bin').hash)
  })

  it('a VM powered off mid-transfer cuts it: VM_STATE, no partial file', async () => {
    await h.setFaults({ transferBytesPerSecond: 2 * 1024 * 1024 })
    try {
      const started = await h.call('downloads.start', { vm: h.ref, path: '/home/demo/Downloads/big-1GiB.bin' })
      await until('bytes to flow', () => (h.host.downloads.list().downloads.find((d) => d.id === started.id)?.bytes ?? 0) > 256 * 1024)
      expect(h.files()).toContain('big-1GiB.bin.part')
      await h.setVm({ power: 'POWERED_OFF' })
      const failed = await h.host.downloads.settled(started.id)
      expect(failed.state).toBe('failed')
      expect(failed.error?.code).toBe('VM_STATE')
      expect(failed.error?.message).toMatch(/stopped running/)
      expect(h.files().filter((f) => f.startsWith('big-1GiB'))).toEqual([])
      // Off, the VM gives no new URL either.
      await h.call('downloads.retry', { id: started.id })
      expect((await h.host.downloads.settled(started.id)).error?.code).toBe('VM_STATE')
    } finally {
      await h.setVm({ power: 'POWERED_ON' })
      h.vm.toolsOverride = 'running'
      await h.setFaults({ transferBytesPerSecond: 0 })
    }
  })

  it('cancel stops a running download and removes its partial file; queued ones wait for a free slot', async () => {
    await h.setFaults({ transferBytesPerSecond: 1024 * 1024 })
    try {
      const started = await Promise.all(
        ['big-1GiB.bin', 'disk-4GiB.img', 'sample-16MiB.bin', 'small.bin'].map((n) => h.call('downloads.start', { vm: h.ref, path: `/home/demo/Downloads/${n}` })),
      )
      const states = (): string[] => started.map((s) => h.host.downloads.list().downloads.find((d) => d.id === s.id)?.state ?? '?')
      await until('three to run', () => states().filter((s) => s === 'downloading').length === 3)
      expect(states()[3]).toBe('queued')
      const cancelled = await h.call('downloads.cancel', { id: started[0]!.id })
      expect(cancelled.state).toBe('cancelled')
      expect(h.files()).not.toContain('big-1GiB.bin.part')
      await until('the queued one to start', () => states()[3] !== 'queued')
      expect((await h.host.downloads.settled(started[3]!.id)).state).toBe('done')
      for (const s of started.slice(1, 3)) await h.call('downloads.cancel', { id: s.id })
      expect(h.files().filter((f) => f.endsWith('.part'))).toEqual([])
    } finally {
      await h.setFaults({ transferBytesPerSecond: 0 })
    }
  })

  it('a URL that names the ESXi host outright (no "*") is used as it is', async () => {
    await h.setFaults({ transferHost: 'address' })
    try {
      const raw = await rawTransferUrl('/home/demo/Downloads/small.bin')
      expect(raw).toMatch(new RegExp(`^https://127\\.0\\.0\\.1:${h.lab.esxi.port}/guestFile\\?`))
      expect((await h.download('/home/demo/Downloads/small.bin')).state).toBe('done')
    } finally {
      await h.setFaults({ transferHost: '*' })
    }
  })

  it('reports progress a few times a second: growing bytes, a rate and the time left', async () => {
    await h.setFaults({ transferBytesPerSecond: 8 * 1024 * 1024 })
    let d: Download
    const t0 = Date.now()
    try {
      d = await h.download('/home/demo/Downloads/sample-16MiB.bin')
    } finally {
      await h.setFaults({ transferBytesPerSecond: 0 })
    }
    const seconds = (Date.now() - t0) / 1000
    expect(d.state).toBe('done')
    const progress = h.events.filter((e) => e.name === 'downloads.progress' && (e.payload as { id: string }).id === d.id).map((e) => e.payload as { bytes: number; total?: number; rate?: number; etaSeconds?: number })
    expect(progress.length).toBeGreaterThanOrEqual(4)
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(seconds / 0.25) + 2)
    const bytes = progress.map((p) => p.bytes)
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b))
    expect(bytes[bytes.length - 1]).toBe(16 * 1024 * 1024)
    const middle = progress.find((p) => p.rate !== undefined && p.etaSeconds !== undefined && p.bytes < 12 * 1024 * 1024)
    expect(middle?.total).toBe(16 * 1024 * 1024)
    // Throttled to 8 MiB/s: the smoothed rate is in that neighbourhood.
    expect(middle?.rate).toBeGreaterThan(2 * 1024 * 1024)
    expect(middle?.rate).toBeLessThan(16 * 1024 * 1024)
  })

  it('two downloads of one file at once get different names', async () => {
    const both = await Promise.all([h.download('/home/demo/Downloads/sample-16MiB.bin'), h.download('/home/demo/Downloads/sample-16MiB.bin')])
    expect(both.map((d) => d.state)).toEqual(['done', 'done'])
    expect(new Set(both.map((d) => d.name)).size).toBe(2)
    for (const d of both) expect(fileHash(path.join(h.downloadsDir, d.name))).toBe(expectedHash('/home/demo/Downloads/sample-16MiB.bin').hash)
  })

  it('hostile guest names land as safe local names', async () => {
    const names = ['CON', 'NUL.txt', '...', 'what?.txt', 'line\nbreak.txt', 'rtl\u202Eexe.txt', 'x'.repeat(251) + '.txt']
    const done = await Promise.all(names.map((n) => h.download(`/home/demo/Downloads/odd names/${n}`)))
    expect(done.map((d) => d.state)).toEqual(names.map(() => 'done'))
    expect(done.map((d) => d.name).slice(0, 6)).toEqual(['_CON', '_NUL.txt', 'download', 'what_.txt', 'line_break.txt', 'rtl_exe.txt'])
    expect(Buffer.byteLength(done[6]!.name)).toBeLessThanOrEqual(240)
    for (const d of done) expect(fs.existsSync(path.join(h.downloadsDir, d.name))).toBe(true)
  })

  it('locking the vault stops a running download (VAULT_LOCKED, no partial file); it works again after unlocking', async () => {
    await h.setFaults({ transferBytesPerSecond: 2 * 1024 * 1024 })
    try {
      const started = await h.call('downloads.start', { vm: h.ref, path: '/home/demo/Downloads/big-1GiB.bin' })
      await until('bytes to flow', () => (h.host.downloads.list().downloads.find((d) => d.id === started.id)?.bytes ?? 0) > 0)
      await h.call('vault.lock', {})
      const stopped = await h.host.downloads.settled(started.id)
      expect(stopped).toMatchObject({ state: 'failed', error: { code: 'VAULT_LOCKED' } })
      expect(h.files().filter((f) => f.startsWith('big-1GiB'))).toEqual([])
    } finally {
      await h.setFaults({ transferBytesPerSecond: 0 })
      await h.call('vault.unlock', { password: 'master password for tests' })
    }
    await h.call('guest.credentials.set', { vm: h.ref, type: 'password', user: 'root', password: GUEST_PASSWORD, remember: false })
    h.host.inventory.connect(h.profileId)
    await h.host.inventory.settled(h.profileId)
    expect((await h.download('/home/demo/Downloads/small.bin')).state).toBe('done')
  })

  it('show in folder and drag-out are refused over the harness; unknown ids are NOT_FOUND', async () => {
    const { downloads } = await h.call('downloads.list', {})
    const finished = downloads.find((d) => d.state === 'done')!
    expect((await h.fail('downloads.showInFolder', { id: finished.id })).code).toBe('UNSUPPORTED')
    const drag = await h.fail('downloads.startDrag', { id: finished.id })
    expect(drag).toMatchObject({ code: 'UNSUPPORTED', message: 'Drag-out needs the desktop app.' })
    expect((await h.fail('downloads.startDrag', { id: 'dl-000000000000000000000000' })).code).toBe('NOT_FOUND')
    expect((await h.fail('downloads.startDrag', { id: '/etc/passwd' })).code).toBe('INVALID_INPUT')
  })
})
