import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SaveQueue } from './save-queue'
import { tempDir } from './test-support'
import { promoteBackup, removeStaleTemps, vaultPaths, writeGeneration, type VaultPaths } from './vault-file'

let dir: string
let paths: VaultPaths
beforeEach(() => {
  dir = tempDir('vault-file')
  paths = vaultPaths(dir)
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

const read = (f: string): string => fs.readFileSync(f, 'utf8')

describe('vault files', () => {
  it('each save keeps the previous generation as the backup and leaves no temporary file', async () => {
    await writeGeneration(paths, Buffer.from('gen1'))
    expect(fs.existsSync(paths.backup)).toBe(false)
    await writeGeneration(paths, Buffer.from('gen2'))
    await writeGeneration(paths, Buffer.from('gen3'))
    expect(read(paths.file)).toBe('gen3')
    expect(read(paths.backup)).toBe('gen2')
    expect(fs.readdirSync(dir).sort()).toEqual(['vault.json', 'vault.json.bak'])
  })

  it('promoting the backup keeps the replaced file as .damaged and the backup in place', async () => {
    await writeGeneration(paths, Buffer.from('good'))
    await writeGeneration(paths, Buffer.from('torn'))
    await promoteBackup(paths, fs.readFileSync(paths.backup))
    expect(read(paths.file)).toBe('good')
    expect(read(paths.damaged)).toBe('torn')
    expect(read(paths.backup)).toBe('good')
  })

  it('removes temporary files a killed save left behind, and nothing else', async () => {
    await writeGeneration(paths, Buffer.from('x'))
    fs.writeFileSync(path.join(dir, 'vault.json.tmp-123-4'), 'half')
    fs.writeFileSync(path.join(dir, 'vault.json.bak.tmp-123-5'), '')
    fs.writeFileSync(path.join(dir, 'vault.json.damaged.tmp-123-6'), '')
    fs.writeFileSync(path.join(dir, 'vault.quick.tmp-123-7'), '')
    fs.writeFileSync(path.join(dir, 'vault.json.tmp-notes.txt'), 'not ours')
    fs.writeFileSync(path.join(dir, 'settings.json'), '{}')
    await removeStaleTemps(dir)
    expect(fs.readdirSync(dir).sort()).toEqual(['settings.json', 'vault.json', 'vault.json.tmp-notes.txt'])
  })
})

describe('SaveQueue', () => {
  it('folds saves that pile up into the newest and resolves every caller once it is durable', async () => {
    const q = new SaveQueue()
    await q.saveGeneration(paths, Buffer.from('0'))
    const first = q.saveGeneration(paths, Buffer.from('1'))
    const second = q.saveGeneration(paths, Buffer.from('2'))
    const third = q.saveGeneration(paths, Buffer.from('3'))
    expect(first).toBe(third)
    expect(second).toBe(third)
    await first
    expect(read(paths.file)).toBe('3')
    // 1 and 2 never reached the disk on their own: the backup is generation 0.
    expect(read(paths.backup)).toBe('0')
  })

  it('a task queued between saves runs between them', async () => {
    const q = new SaveQueue()
    const order: string[] = []
    void q.saveGeneration(paths, Buffer.from('a')).then(() => order.push('a'))
    void q.run(async () => void order.push(`task saw ${read(paths.file)}`))
    await q.saveGeneration(paths, Buffer.from('b')).then(() => order.push('b'))
    expect(order).toEqual(['a', 'task saw a', 'b'])
  })

  it('one failed save does not stop the next', async () => {
    const q = new SaveQueue()
    const bad = vaultPaths(path.join(dir, 'missing-dir'))
    await expect(q.saveGeneration(bad, Buffer.from('x'))).rejects.toThrow()
    await q.saveGeneration(paths, Buffer.from('ok'))
    expect(read(paths.file)).toBe('ok')
  })
})
