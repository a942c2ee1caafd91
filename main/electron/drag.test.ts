// Drag-out through the real IPC transport and the real host (against the vCenter lab), with a
// fake `electron` for nativeImage: the call resolves the renderer's opaque id to the downloaded
// file in main and starts the drag with a non-empty icon; unknown, malformed and unfinished
// ids are refused and start nothing.
import { EventEmitter } from 'node:events'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { IPC_CALL } from '../../contract/ipc-channels'
import type { CallResult } from '../../contract/result'
import { startDownloadsHarness, type DownloadsHarness } from '../../test/integration/downloads-harness'
import { memoryLog } from '../services/log/log'
import { APP_ENTRY_URL, APP_ORIGIN } from './app-origin'
import { createDragStarter } from './drag'
import { bindIpcTransport, type IpcFrame, type IpcInvokeEvent, type IpcMainLike } from './ipc-transport'

// nativeImage reads the PNG for real: "non-empty" means the icon file is there and is a PNG.
vi.mock('electron', () => {
  class FakeImage {
    constructor(readonly bytes: Buffer, readonly width: number) {}
    isEmpty(): boolean {
      return this.bytes.length === 0
    }
    resize({ width }: { width: number }): FakeImage {
      return new FakeImage(this.bytes, width)
    }
  }
  const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47])
  const nativeImage = {
    createFromPath(p: string): FakeImage {
      let bytes = Buffer.alloc(0)
      try {
        bytes = fs.readFileSync(p)
      } catch {
        // Electron gives an empty image for a missing file.
      }
      return new FakeImage(bytes.subarray(0, 4).equals(PNG) ? bytes : Buffer.alloc(0), 0)
    },
  }
  return { nativeImage, default: { nativeImage } }
})

class FakeContents extends EventEmitter {
  readonly mainFrame: IpcFrame = { url: APP_ENTRY_URL, parent: null }
  readonly drags: { file: string; icon: unknown }[] = []
  isDestroyed(): boolean {
    return false
  }
  send(): void {}
  startDrag(item: { file: string; icon: unknown }): void {
    this.drags.push(item)
  }
}

class FakeIpcMain implements IpcMainLike {
  handler: ((event: IpcInvokeEvent, ...args: unknown[]) => unknown) | undefined
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => unknown): void {
    if (channel === IPC_CALL) this.handler = listener
  }
  removeHandler(): void {
    this.handler = undefined
  }
  async invoke(contents: FakeContents, name: string, payload: unknown): Promise<CallResult<unknown>> {
    if (!this.handler) throw new Error('no handler')
    return (await this.handler({ sender: contents, senderFrame: contents.mainFrame }, name, payload)) as CallResult<unknown>
  }
}

const ICON = path.resolve(__dirname, '../../build/icon.png')
let h: DownloadsHarness
const ipcMain = new FakeIpcMain()
const win = new FakeContents()
let finishedId: string

beforeAll(async () => {
  h = await startDownloadsHarness()
  await h.trustEsxi()
  bindIpcTransport({
    ipcMain,
    dispatch: h.host.dispatch,
    events: h.host.events,
    appContents: () => [win],
    origin: APP_ORIGIN,
    log: memoryLog(),
    startDrag: createDragStarter(ICON),
  })
  const done = await h.download('/home/demo/Downloads/small.bin')
  expect(done.state).toBe('done')
  finishedId = done.id
}, 30_000)
afterAll(async () => {
  await h?.close()
})

describe('drag-out over IPC', () => {
  it('resolves the opaque id to the downloaded file and starts the drag with a non-empty icon', async () => {
    const result = await ipcMain.invoke(win, 'downloads.startDrag', { id: finishedId })
    expect(result).toEqual({ ok: true, value: { ok: true } })
    expect(win.drags).toHaveLength(1)
    const [drag] = win.drags
    expect(drag?.file).toBe(path.join(h.downloadsDir, 'small.bin'))
    expect(fs.statSync(drag!.file).size).toBe(1000)
    const icon = drag?.icon as { isEmpty(): boolean; width: number }
    expect(icon.isEmpty()).toBe(false)
    expect(icon.width).toBe(64)
  })

  it('refuses an unknown id, a path posing as an id, and a download that has not finished', async () => {
    const before = win.drags.length
    const unknown = await ipcMain.invoke(win, 'downloads.startDrag', { id: 'dl-0123456789abcdef01234567' })
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    const foreign = await ipcMain.invoke(win, 'downloads.startDrag', { id: path.join(h.downloadsDir, 'small.bin') })
    expect(foreign).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const extra = await ipcMain.invoke(win, 'downloads.startDrag', { id: finishedId, file: '/etc/passwd' })
    expect(extra).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    await h.setFaults({ transferBytesPerSecond: 64 * 1024 })
    try {
      const running = await h.call('downloads.start', { vm: h.ref, path: '/home/demo/Downloads/sample-16MiB.bin' })
      const early = await ipcMain.invoke(win, 'downloads.startDrag', { id: running.id })
      expect(early).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
      await h.call('downloads.cancel', { id: running.id })
    } finally {
      await h.setFaults({ transferBytesPerSecond: 0 })
    }
    expect(win.drags.length).toBe(before)
  })

  it('a file deleted from the downloads folder is not dragged', async () => {
    fs.rmSync(path.join(h.downloadsDir, 'small.bin'))
    const gone = await ipcMain.invoke(win, 'downloads.startDrag', { id: finishedId })
    expect(gone).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('an icon that cannot be loaded is reported, not dragged with', () => {
    const start = createDragStarter(path.join(h.root, 'missing.png'))
    expect(() => start(win, path.join(h.downloadsDir, 'x'))).toThrow(/could not be loaded/)
  })
})
