// A full disk and a folder Porthole may not write to: the download fails with DISK_FULL or
// PERMISSION_DENIED, says so, and leaves nothing behind. A real 1 MiB tmpfs where this machine
// allows mounting (detected), and always an ENOSPC/EACCES injected at the write stream.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { startDownloadsHarness, type DownloadsHarness } from './downloads-harness'

const open: DownloadsHarness[] = []
afterAll(async () => {
  for (const h of open) await h.close()
})

/** A sink that takes `limit` bytes and then fails the way a file system does. */
function failingSink(code: 'ENOSPC' | 'EACCES', limit: number) {
  return (): Writable => {
    let taken = 0
    return new Writable({
      write(chunk: Buffer, _enc, done) {
        taken += chunk.length
        if (taken <= limit) return done()
        done(Object.assign(new Error(`${code}: injected at the write stream`), { code }))
      },
    })
  }
}

/** Mounts a 1 MiB tmpfs if this machine lets us (root in a permissive container); else undefined. */
function smallTmpfs(): { dir: string; unmount(): void } | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-tmpfs-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' })
  } catch {
    fs.rmSync(dir, { recursive: true, force: true })
    return undefined
  }
  return {
    dir,
    unmount() {
      execFileSync('umount', [dir], { stdio: 'ignore' })
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

describe('downloads on a full disk', () => {
  it('a real 1 MiB tmpfs: DISK_FULL, no partial file (skipped where mounting is not allowed)', async (ctx) => {
    const fsmall = smallTmpfs()
    if (!fsmall) return ctx.skip()
    try {
      const h = await startDownloadsHarness({ dir: fsmall.dir })
      open.push(h)
      await h.trustEsxi()
      const d = await h.download('/home/demo/Downloads/sample-16MiB.bin')
      expect(d.state).toBe('failed')
      expect(d.error).toMatchObject({ code: 'DISK_FULL' })
      expect(d.error?.message).toMatch(/partial file was removed/)
      expect(fs.readdirSync(fsmall.dir)).toEqual([])
      // A file that fits still downloads there.
      expect((await h.download('/home/demo/Downloads/small.bin')).state).toBe('done')
      expect(fs.readdirSync(fsmall.dir)).toEqual(['small.bin'])
      await h.close()
      open.pop()
    } finally {
      fsmall.unmount()
    }
  }, 30_000)

  it('ENOSPC injected at the write stream: DISK_FULL, nothing left behind', async () => {
    const h = await startDownloadsHarness({ sink: failingSink('ENOSPC', 1024 * 1024) })
    open.push(h)
    await h.trustEsxi()
    const d = await h.download('/home/demo/Downloads/sample-16MiB.bin')
    expect(d).toMatchObject({ state: 'failed', error: { code: 'DISK_FULL', detail: { errno: 'ENOSPC' } } })
    expect(h.files()).toEqual([])
  }, 30_000)

  it('EACCES at the write stream: PERMISSION_DENIED, nothing left behind', async () => {
    const h = await startDownloadsHarness({ sink: failingSink('EACCES', 0) })
    open.push(h)
    await h.trustEsxi()
    const d = await h.download('/home/demo/Downloads/small.bin')
    expect(d).toMatchObject({ state: 'failed', error: { code: 'PERMISSION_DENIED' } })
    expect(h.files()).toEqual([])
  }, 30_000)
})
