// The file browser's calls against the vCenter lab through the host: the guest's root found
// without knowing its OS (POSIX, then a Windows drive), pages of a 5,000-entry folder, attributes
// of the rows on screen, and the guest's errors as contract codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FilesPage } from '../../contract/files'
import { GUEST_PASSWORD } from '../../lab/vsphere/guest-auth'
import { startDownloadsHarness, type DownloadsHarness } from './downloads-harness'

let h: DownloadsHarness
beforeAll(async () => {
  h = await startDownloadsHarness()
}, 30_000)
afterAll(async () => {
  await h?.close()
})

describe('files.list and files.info', () => {
  it('lists a Linux guest\'s root when no path is given', async () => {
    const page = await h.call('files.list', { vm: h.ref })
    expect(page).toMatchObject({ path: '/', separator: '/' })
    expect(page.entries.map((e) => e.name)).toEqual(expect.arrayContaining(['etc', 'home', 'var', 'bin']))
    expect(page.entries.find((e) => e.name === 'bin')?.type).toBe('symlink')
  })

  it('finds a Windows guest\'s drive when "/" is not there', async () => {
    const win = h.lab.state.inv.vms.find((v) => v.power === 'POWERED_ON' && v.os.family === 'WINDOWS')
    if (!win) throw new Error('no powered-on Windows VM in the lab')
    win.toolsOverride = 'running'
    const ref = { connectionId: h.profileId, id: win.id }
    await h.call('guest.credentials.set', { vm: ref, type: 'password', user: 'Administrator', password: GUEST_PASSWORD, remember: false })
    const page = await h.call('files.list', { vm: ref })
    expect(page).toMatchObject({ path: 'C:\\', separator: '\\' })
    expect(page.entries.map((e) => e.name)).toEqual(expect.arrayContaining(['Windows', 'Users', 'Program Files']))
  })

  it('pages a big folder until the end', async () => {
    const seen: string[] = []
    let index: number | undefined = 0
    let calls = 0
    while (index !== undefined) {
      const page: FilesPage = await h.call('files.list', { vm: h.ref, path: '/home/demo/Downloads/many', index, size: 1000 })
      expect(page.total).toBe(5000)
      seen.push(...page.entries.map((e) => e.name))
      index = page.nextIndex
      calls++
    }
    expect(calls).toBe(5)
    expect(new Set(seen).size).toBe(5000)
  })

  it('gives the attributes of some paths, and an error only for the one the guest refuses', async () => {
    const { files } = await h.call('files.info', { vm: h.ref, paths: ['/home/demo/notes.txt', '/etc/shadow', '/nope'] })
    expect(files[0]).toMatchObject({ path: '/home/demo/notes.txt', type: 'file', size: 2048, permissions: '644' })
    expect(Date.parse(files[0]?.modified ?? '')).toBeGreaterThan(0)
    expect(files[1]).toMatchObject({ path: '/etc/shadow' })
    expect(files[2]?.error).toMatch(/not found/)
  })

  it('maps the guest\'s errors: a missing folder, a folder the user may not read, wrong credentials', async () => {
    expect((await h.fail('files.list', { vm: h.ref, path: '/no/such/dir' })).code).toBe('NOT_FOUND')
    await h.call('guest.credentials.set', { vm: h.ref, type: 'password', user: 'demo', password: GUEST_PASSWORD, remember: false })
    expect((await h.fail('files.list', { vm: h.ref, path: '/root' })).code).toBe('PERMISSION_DENIED')
    await h.call('guest.credentials.set', { vm: h.ref, type: 'password', user: 'root', password: 'wrong', remember: false })
    expect(await h.fail('files.list', { vm: h.ref, path: '/' })).toMatchObject({ code: 'GUEST_AUTH_FAILED', detail: { reason: 'rejected' } })
    await h.call('guest.credentials.set', { vm: h.ref, type: 'password', user: 'root', password: GUEST_PASSWORD, remember: false })
  })
})
