import fs from 'node:fs/promises'
import path from 'node:path'

/*
 * The vault's files in the data directory:
 *   vault.json          the current generation
 *   vault.json.bak      the previous generation (a hard link to the file the last save replaced)
 *   vault.json.damaged  what restoring a backup moved aside, kept for inspection
 *   vault.quick         the data key protected by the OS keychain (quick unlock), when enabled
 * A save never modifies a file in place: it writes a temporary file, fsyncs it, renames it
 * over vault.json and fsyncs the directory, so at every instant vault.json is a whole
 * generation, old or new.
 */

export interface VaultPaths {
  dir: string
  file: string
  backup: string
  damaged: string
  quick: string
}

export function vaultPaths(dir: string): VaultPaths {
  const file = path.join(dir, 'vault.json')
  return { dir, file, backup: `${file}.bak`, damaged: `${file}.damaged`, quick: path.join(dir, 'vault.quick') }
}

const FILE_MODE = 0o600
const TEMP_RE = /^vault\.(?:json(?:\.bak|\.damaged)?|quick)\.tmp-\d+-\d+$/
let tempCounter = 0

function tempName(target: string): string {
  return `${target}.tmp-${process.pid}-${++tempCounter}`
}

function isErrno(err: unknown, ...codes: string[]): boolean {
  return typeof err === 'object' && err !== null && codes.includes((err as NodeJS.ErrnoException).code ?? '')
}

/** Larger than any vault we write by orders of magnitude; a bigger file is not read into memory at all. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024

/** The file's bytes, or undefined when it does not exist; RangeError when it is over `maxBytes`. */
export async function readIfExists(file: string, maxBytes = MAX_FILE_BYTES): Promise<Buffer | undefined> {
  let handle: fs.FileHandle
  try {
    handle = await fs.open(file, 'r')
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined
    throw err
  }
  try {
    const { size } = await handle.stat()
    if (size > maxBytes) throw new RangeError(`${path.basename(file)} is ${size} bytes, over the ${maxBytes}-byte limit`)
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file)
    return true
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false
    throw err
  }
}

/** When the file was last written, or undefined when it does not exist. */
export async function modifiedAt(file: string): Promise<Date | undefined> {
  try {
    return (await fs.stat(file)).mtime
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined
    throw err
  }
}

/** Makes renames in `dir` durable. Windows cannot open a directory for fsync; NTFS journals renames itself. */
async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await fs.open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Writes `bytes` to a new private temporary file beside `target` and fsyncs it; returns its path. */
async function writeTemp(target: string, bytes: Buffer): Promise<string> {
  const tmp = tempName(target)
  const handle = await fs.open(tmp, 'wx', FILE_MODE)
  try {
    await handle.writeFile(bytes)
    await handle.sync()
  } catch (err) {
    await handle.close().catch(() => undefined)
    await fs.rm(tmp, { force: true })
    throw err
  }
  await handle.close()
  return tmp
}

/** Points `alias` at the same bytes as `source`, atomically replacing any old `alias`; false when there is no `source`. */
async function linkOver(source: string, alias: string): Promise<boolean> {
  const tmp = tempName(alias)
  try {
    await fs.link(source, tmp)
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false
    // File systems without hard links (FAT, some network shares): copy and fsync instead.
    if (!isErrno(err, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS', 'EMLINK')) throw err
    try {
      await fs.copyFile(source, tmp)
    } catch (copyErr) {
      if (isErrno(copyErr, 'ENOENT')) return false
      throw copyErr
    }
    const handle = await fs.open(tmp, 'r+')
    await handle.sync().finally(() => handle.close())
  }
  await fs.rename(tmp, alias)
  return true
}

/** Replaces `target` atomically and durably with `bytes` (temp file, fsync, rename, fsync of the directory). */
export async function writeFileAtomic(target: string, bytes: Buffer): Promise<void> {
  const tmp = await writeTemp(target, bytes)
  try {
    await fs.rename(tmp, target)
  } catch (err) {
    await fs.rm(tmp, { force: true })
    throw err
  }
  await fsyncDir(path.dirname(target))
}

/**
 * Saves a new generation: the current file becomes the backup, `bytes` the current file.
 * The backup is a hard link made before the rename, so vault.json exists throughout.
 */
export async function writeGeneration(paths: VaultPaths, bytes: Buffer): Promise<void> {
  const tmp = await writeTemp(paths.file, bytes)
  try {
    await linkOver(paths.file, paths.backup)
    await fs.rename(tmp, paths.file)
  } catch (err) {
    await fs.rm(tmp, { force: true })
    throw err
  }
  await fsyncDir(paths.dir)
}

/** Makes the backup the current generation; the file it replaces is kept as vault.json.damaged. */
export async function promoteBackup(paths: VaultPaths, backupBytes: Buffer): Promise<void> {
  const tmp = await writeTemp(paths.file, backupBytes)
  try {
    await linkOver(paths.file, paths.damaged)
    await fs.rename(tmp, paths.file)
  } catch (err) {
    await fs.rm(tmp, { force: true })
    throw err
  }
  await fsyncDir(paths.dir)
}

/** Moves a file aside under a timestamped name (never deletes user data). */
export async function moveAside(file: string, now: Date): Promise<void> {
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  await fs.rename(file, `${file}.old-${stamp}`)
  await fsyncDir(path.dirname(file))
}

/** Removes a file durably; no error when it is already gone. */
export async function removeFile(file: string): Promise<void> {
  await fs.rm(file, { force: true })
  await fsyncDir(path.dirname(file))
}

/** Removes temporary files a killed process left behind. Call only when no save of ours is in flight. */
export async function removeStaleTemps(dir: string): Promise<void> {
  let names: string[]
  try {
    names = await fs.readdir(dir)
  } catch {
    return
  }
  await Promise.all(names.filter((n) => TEMP_RE.test(n)).map((n) => fs.rm(path.join(dir, n), { force: true })))
}

/** Creates the data directory private to the user when it does not exist yet. */
export async function ensureDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 })
}
