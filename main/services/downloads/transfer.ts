// One transfer: exactly one streamed GET of a one-shot URL into `<name>.part`, with backpressure
// (pipeline: memory stays flat for a 4 GiB file), then fsync and a rename that never replaces
// an existing file. Any failure removes the partial file; file-system errors get their codes
// (DISK_FULL, PERMISSION_DENIED), a connection cut mid-body is told apart from a refusal.
import fs from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { Transform, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { request, type Dispatcher } from 'undici'
import { PortholeError } from '../../../contract/errors'
import { withSuffix } from './file-name'

/** Seam for tests: the sink the body is written to, given the part file's descriptor (a disk-full sink, say). */
export type SinkFactory = (fd: number) => Writable

export interface TransferOptions {
  url: URL
  dispatcher: Dispatcher
  /** The `.part` file to create (it must not exist). */
  partPath: string
  signal: AbortSignal
  /** Called as bytes arrive (the caller throttles what it reports). */
  onBytes(bytes: number, total: number | undefined): void
  /** Called when the host answered (headers in): the URL is spent from here on. */
  onResponse?(total: number | undefined): void
  sink?: SinkFactory
  /** No byte for this long fails the transfer; default 60 s. */
  idleTimeoutMs?: number
}

/** Why a body stopped before its Content-Length (or the socket failed mid-body). */
export class TransferCut extends Error {
  constructor(
    readonly bytes: number,
    readonly total: number | undefined,
    cause?: unknown,
  ) {
    super(`The transfer stopped after ${bytes}${total !== undefined ? ` of ${total}` : ''} bytes.`, { cause })
  }
}

const FS_CODES: Record<string, { code: 'DISK_FULL' | 'PERMISSION_DENIED'; text: string }> = {
  ENOSPC: { code: 'DISK_FULL', text: 'The disk is full' },
  EDQUOT: { code: 'DISK_FULL', text: 'The disk quota is used up' },
  EFBIG: { code: 'DISK_FULL', text: 'The file is too big for this disk' },
  EACCES: { code: 'PERMISSION_DENIED', text: 'Porthole may not write to the downloads folder' },
  EPERM: { code: 'PERMISSION_DENIED', text: 'Porthole may not write to the downloads folder' },
  EROFS: { code: 'PERMISSION_DENIED', text: 'The downloads folder is read-only' },
}

function errnoOf(err: unknown): string | undefined {
  for (let e: unknown = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && code in FS_CODES) return code
  }
  return undefined
}

/** A file-system error as a contract error (DISK_FULL, PERMISSION_DENIED), or undefined. */
export function fileSystemError(err: unknown): PortholeError | undefined {
  const errno = errnoOf(err)
  if (!errno) return undefined
  const known = FS_CODES[errno] as { code: 'DISK_FULL' | 'PERMISSION_DENIED'; text: string }
  return new PortholeError(known.code, `${known.text}; the partial file was removed.`, { detail: { errno }, cause: err })
}

/** The PortholeError somewhere in an error's cause chain (the TLS store's refusal, say). */
export function portholeErrorIn(err: unknown): PortholeError | undefined {
  for (let e: unknown = err, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    if (e instanceof PortholeError) return e
  }
  return undefined
}

function httpRefusal(status: number, body: string): PortholeError {
  const said = body.trim().slice(0, 200)
  if (status === 404 || status === 410) {
    return new PortholeError('PROVIDER_ERROR', `The host refused the transfer URL (HTTP ${status}: it expired, was used already, or the VM stopped). Retry asks for a new one.`, {
      detail: { status, ...(said ? { server: said } : {}) },
      retryable: true,
    })
  }
  if (status === 401 || status === 403) {
    return new PortholeError('PERMISSION_DENIED', `The host refused the transfer (HTTP ${status}).`, { detail: { status, ...(said ? { server: said } : {}) } })
  }
  return new PortholeError(status === 503 ? 'PROVIDER_UNAVAILABLE' : 'PROVIDER_ERROR', `The host answered the transfer with HTTP ${status}.`, {
    detail: { status, ...(said ? { server: said } : {}) },
    retryable: status >= 500,
  })
}

/** Deletes a file if it is there; never throws. */
export async function removeQuietly(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true }).catch(() => undefined)
}

/**
 * GETs the URL once into `partPath` and fsyncs it. Throws a PortholeError (refusals, TLS, file
 * system) or a TransferCut (body ended early); the part file is removed on every failure.
 */
export async function transferToPart(options: TransferOptions): Promise<{ bytes: number; total: number | undefined }> {
  const { signal } = options
  let file: FileHandle | undefined
  let bytes = 0
  let total: number | undefined
  let created = false
  try {
    let res: Dispatcher.ResponseData
    try {
      res = await request(options.url, {
        method: 'GET',
        dispatcher: options.dispatcher,
        signal,
        headersTimeout: 60_000,
        bodyTimeout: options.idleTimeoutMs ?? 60_000,
        headers: { accept: '*/*' },
      })
    } catch (err) {
      throw portholeErrorIn(err) ?? err
    }
    if (res.statusCode !== 200) {
      const body = await res.body.text().catch(() => '')
      throw httpRefusal(res.statusCode, body)
    }
    const length = Number(res.headers['content-length'])
    total = Number.isSafeInteger(length) && length >= 0 ? length : undefined
    options.onResponse?.(total)
    try {
      file = await fs.promises.open(options.partPath, 'wx')
      created = true
    } catch (err) {
      res.body.destroy()
      throw fileSystemError(err) ?? err
    }
    // A plain stream on the handle's descriptor: it never closes the handle (a FileHandle stream
    // would, or would hold `close()` until it did), so fsync and close stay ours.
    const sink = options.sink ? options.sink(file.fd) : fs.createWriteStream('', { fd: file.fd, autoClose: false, highWaterMark: 1024 * 1024 })
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length
        options.onBytes(bytes, total)
        done(null, chunk)
      },
    })
    try {
      await pipeline(res.body, meter, sink, { signal })
    } catch (err) {
      const fsErr = fileSystemError(err)
      if (fsErr) throw fsErr
      if (signal.aborted) throw err
      throw new TransferCut(bytes, total, err)
    }
    if (total !== undefined && bytes !== total) throw new TransferCut(bytes, total)
    try {
      await file.sync()
      await file.close()
      file = undefined
    } catch (err) {
      throw fileSystemError(err) ?? err
    }
    return { bytes, total }
  } catch (err) {
    await file?.close().catch(() => undefined)
    // Only a part file this transfer created: an existing one ('wx' failed) is not ours.
    if (created) await removeQuietly(options.partPath)
    throw err
  }
}

/**
 * Moves the finished part file to the first free name among `name`, `name (1)`, … in `dir`,
 * never replacing a file (a hard link fails if the name exists; where links are not allowed, a
 * checked rename). Returns the name used.
 */
export async function placeFile(partPath: string, dir: string, name: string, isTaken: (candidate: string) => boolean): Promise<string> {
  for (let n = 0; n < 10_000; n++) {
    const candidate = withSuffix(name, n)
    if (isTaken(candidate)) continue
    const target = path.join(dir, candidate)
    try {
      await fs.promises.link(partPath, target)
      await fs.promises.unlink(partPath)
      await syncDir(dir)
      return candidate
    } catch (err) {
      const code = (err as { code?: unknown }).code
      if (code === 'EEXIST') continue
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV' && code !== 'ENOSYS') throw fileSystemError(err) ?? err
      if (fs.existsSync(target)) continue
      await fs.promises.rename(partPath, target)
      await syncDir(dir)
      return candidate
    }
  }
  throw new PortholeError('CONFLICT', `Every name like "${name}" is taken in the downloads folder.`)
}

/** Makes the rename durable (POSIX); Windows has no directory handles to sync. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await fs.promises.open(dir, 'r').catch(() => undefined)
  await handle?.sync().catch(() => undefined)
  await handle?.close().catch(() => undefined)
}
