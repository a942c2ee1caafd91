import path from 'node:path'
import type { Log } from '../../main/services/log/log'
import { buildBootImage } from './boot-image'
import { qemuVersion, startQemuVm, type QemuVm } from './qemu'
import { parseSerialKeys } from './serial-log'
import { startRfbServer, type ReceivedKey, type RfbServer } from './rfb-server'

/** A VM's console as the lab serves it: a plain VNC port, and with QEMU a serial port too. */
export interface ConsoleSource {
  readonly kind: 'qemu' | 'builtin'
  readonly vmId: string
  readonly name: string
  readonly host: '127.0.0.1'
  readonly vncPort: number
  /** QEMU's own VNC websocket, when asked for. */
  readonly websocketPort: number | undefined
  /** QEMU's serial port (TCP, one client at a time); the built-in server has none. */
  readonly serialPort: number | undefined
  readonly qemu: QemuVm | undefined
  readonly rfb: RfbServer | undefined
  /** Key events as the built-in server received them (empty for QEMU: read its serial log). */
  keys(): ReceivedKey[]
  /** Every XT byte the guest's keyboard controller read (QEMU: from the serial log; built-in: through its US table). */
  scancodes(): number[]
  /** Changes the VNC password (QEMU: only if opened with one; it goes over QMP). */
  setPassword(password: string): Promise<void>
}

export interface OpenOptions {
  /** The VM's display name: QEMU's VNC desktop name, drawn on the built-in pattern. */
  name: string
  password?: string
  websocket?: boolean
}

export interface ConsoleSourcesOptions {
  /** Where boot images, serial logs and QMP sockets go. */
  dataDir: string
  log?: Log
  /** 'auto' uses QEMU when it and binutils are installed, else the built-in server. */
  backend?: 'auto' | 'qemu' | 'builtin'
  /** QEMU guests at most; later VMs get the built-in server (an idle QEMU here: ~48 MB RSS, <1% CPU). */
  maxQemu?: number
}

/**
 * Starts and stops one console source per demo VM, on demand: QEMU where installed
 * (a real VNC server and serial port), the built-in RFB server otherwise.
 */
export class ConsoleSources {
  private readonly open_ = new Map<string, Promise<ConsoleSource>>()
  private bootImage: Promise<string | undefined> | undefined
  private qemuCount = 0

  constructor(private readonly options: ConsoleSourcesOptions) {}

  /** Which backend new sources use: QEMU when installed and allowed, else the built-in server. */
  backend(): Promise<'qemu' | 'builtin'> {
    return this.qemuImage().then((image) => (image ? 'qemu' : 'builtin'))
  }

  /** The VM's console source, started on first use. */
  open(vmId: string, options: OpenOptions): Promise<ConsoleSource> {
    let source = this.open_.get(vmId)
    if (!source) {
      source = this.start(vmId, options)
      this.open_.set(vmId, source)
      source.catch(() => this.open_.delete(vmId))
    }
    return source
  }

  /** Stops a VM's console source, if it runs. */
  async close(vmId: string): Promise<void> {
    const source = this.open_.get(vmId)
    this.open_.delete(vmId)
    if (!source) return
    const s = await source.catch(() => undefined)
    if (s?.qemu) {
      this.qemuCount--
      await s.qemu.stop()
    }
    await s?.rfb?.close()
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.open_.keys()].map((id) => this.close(id)))
  }

  private qemuImage(): Promise<string | undefined> {
    const { backend = 'auto', dataDir, log } = this.options
    if (backend === 'builtin') return Promise.resolve(undefined)
    this.bootImage ??= (async () => {
      const version = await qemuVersion()
      if (!version) {
        if (backend === 'qemu') throw new Error('QEMU (qemu-system-x86_64) is not installed')
        log?.info('consoles: QEMU is not installed; using the built-in RFB server')
        return undefined
      }
      try {
        return await buildBootImage(dataDir)
      } catch (err) {
        if (backend === 'qemu') throw err
        log?.warn('consoles: cannot build the boot sector; using the built-in RFB server', { error: (err as Error).message })
        return undefined
      }
    })()
    return this.bootImage
  }

  private async start(vmId: string, options: OpenOptions): Promise<ConsoleSource> {
    const image = await this.qemuImage()
    const base = { vmId, name: options.name, host: '127.0.0.1' as const }
    if (image && this.qemuCount < (this.options.maxQemu ?? 8)) {
      this.qemuCount++
      try {
        const vm = await startQemuVm({
          name: options.name,
          bootImage: image,
          dir: path.join(this.options.dataDir, 'vms', vmId.replace(/[^A-Za-z0-9_-]/g, '_')),
          ...(options.password !== undefined ? { password: options.password } : {}),
          ...(options.websocket ? { websocket: true } : {}),
          ...(this.options.log ? { log: this.options.log } : {}),
        })
        return {
          ...base,
          kind: 'qemu',
          vncPort: vm.vncPort,
          websocketPort: vm.websocketPort,
          serialPort: vm.serialPort,
          qemu: vm,
          rfb: undefined,
          keys: () => [],
          scancodes: () => parseSerialKeys(vm.serialLog()).scancodes,
          setPassword: (pw) => vm.setVncPassword(pw),
        }
      } catch (err) {
        this.qemuCount--
        throw err
      }
    }
    // Like ESXi: keysyms become keys through a US table, so the tests and the demo see scancodes.
    const rfb = await startRfbServer({
      name: options.name,
      usKeyboard: true,
      ...(options.password !== undefined ? { password: options.password } : {}),
      ...(this.options.log ? { log: this.options.log } : {}),
    })
    return {
      ...base,
      kind: 'builtin',
      vncPort: rfb.port,
      websocketPort: undefined,
      serialPort: undefined,
      qemu: undefined,
      rfb,
      keys: () => rfb.keys,
      scancodes: () => rfb.scancodes,
      setPassword: async (pw) => rfb.setPassword(pw),
    }
  }
}
