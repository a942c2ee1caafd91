import { execFile, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { VNC_PASSWORD_MAX } from '../../main/services/consoles/vnc-auth'
import type { Log } from '../../main/services/log/log'
import { freePort } from './free-port'
import { spawnServer } from './server-process'
import { Qmp } from './qmp'

export const QEMU_BINARY = process.env.PORTHOLE_QEMU ?? 'qemu-system-x86_64'
/** VNC display N listens on 5900 + N. */
const VNC_BASE = 5900

/** The version line of the installed QEMU, or undefined when it is missing (or PORTHOLE_QEMU=off). */
export function qemuVersion(): Promise<string | undefined> {
  if (QEMU_BINARY === 'off') return Promise.resolve(undefined)
  return new Promise((resolve) => {
    execFile(QEMU_BINARY, ['--version'], { timeout: 10_000 }, (err, stdout) => {
      resolve(err ? undefined : stdout.split('\n')[0]?.trim())
    })
  })
}

export interface QemuVmOptions {
  /** Shown as the VNC desktop name ("QEMU (name)"). */
  name: string
  /** The boot sector from buildBootImage(). */
  bootImage: string
  /** Where the VM keeps its QMP socket and serial log. */
  dir: string
  /** Start with VNC Authentication and this password (8 characters at most). */
  password?: string
  /** Also serve VNC over QEMU's own websocket (a baseline for benchmarks, ESXi-like labs). */
  websocket?: boolean
  log?: Log
}

/** One running QEMU: a real VNC server and serial port on 127.0.0.1. */
export interface QemuVm {
  readonly name: string
  readonly pid: number
  readonly vncPort: number
  readonly websocketPort: number | undefined
  /** QEMU's serial port as a TCP server (one client at a time). */
  readonly serialPort: number
  /** Everything the guest wrote to its serial port, kept by QEMU whether or not a client is attached. */
  readonly serialLogPath: string
  serialLog(): string
  /** Polls the serial log until it contains text. */
  waitForSerial(text: string, timeoutMs?: number): Promise<void>
  /** Sets the VNC password over QMP; the VM must have been started with a password. */
  setVncPassword(password: string): Promise<void>
  stop(): Promise<void>
}

/** Starts one QEMU under TCG with the lab boot sector; retries with other ports if one was taken. */
export async function startQemuVm(options: QemuVmOptions): Promise<QemuVm> {
  if (options.password !== undefined) checkPassword(options.password)
  let lastError: unknown
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await launch(options)
    } catch (err) {
      lastError = err
      if (!/bind|address already in use/i.test((err as Error).message)) break
    }
  }
  throw lastError
}

function checkPassword(password: string): void {
  if (password.length === 0 || password.length > VNC_PASSWORD_MAX) {
    throw new Error(`a VNC password has 1 to ${VNC_PASSWORD_MAX} characters`)
  }
}

async function launch(options: QemuVmOptions): Promise<QemuVm> {
  fs.mkdirSync(options.dir, { recursive: true })
  const vncPort = await freePort(VNC_BASE + 100, 30_000)
  const serialPort = await freePort()
  const websocketPort = options.websocket ? await freePort() : undefined
  const serialLogPath = path.join(options.dir, 'serial.log')
  fs.writeFileSync(serialLogPath, '')
  // A unix socket path must fit in 108 bytes; deep temp dirs fall back to a short one.
  let qmpPath = path.join(options.dir, 'qmp.sock')
  if (qmpPath.length > 100) qmpPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qmp-')), 'qmp.sock')
  fs.rmSync(qmpPath, { force: true })

  const vnc = [
    `127.0.0.1:${vncPort - VNC_BASE}`,
    ...(websocketPort ? [`websocket=127.0.0.1:${websocketPort}`] : []),
    ...(options.password !== undefined ? ['password=on'] : []),
  ].join(',')
  const args = [
    '-name', options.name.replace(/,/g, ' '),
    '-display', 'none',
    '-vnc', vnc,
    '-m', '64',
    '-nodefaults',
    '-vga', 'std',
    '-accel', 'tcg',
    '-chardev', `socket,id=serial0,host=127.0.0.1,port=${serialPort},server=on,wait=off,logfile=${serialLogPath}`,
    '-serial', 'chardev:serial0',
    '-drive', `file=${options.bootImage},format=raw,if=ide,snapshot=on`,
    '-qmp', `unix:${qmpPath},server=on,wait=off`,
  ]
  const { child, stderr: log, exited } = spawnServer(QEMU_BINARY, args, ['ignore', 'ignore', 'pipe'])

  let qmp: Qmp | undefined
  try {
    qmp = await connectQmp(qmpPath, child, log)
    if (options.password !== undefined) await qmp.execute('change-vnc-password', { password: options.password })
  } catch (err) {
    child.kill('SIGKILL')
    await exited
    throw err
  }
  const control = qmp
  options.log?.info('qemu: started', { name: options.name, pid: child.pid, vncPort, serialPort })

  const serialLog = (): string => fs.readFileSync(serialLogPath, 'latin1')
  return {
    name: options.name,
    pid: child.pid ?? -1,
    vncPort,
    websocketPort,
    serialPort,
    serialLogPath,
    serialLog,
    async waitForSerial(text, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs
      while (!serialLog().includes(text)) {
        if (child.exitCode !== null) throw new Error(`QEMU exited: ${log().trim()}`)
        if (Date.now() > deadline) throw new Error(`serial output has no ${JSON.stringify(text)} after ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 50))
      }
    },
    async setVncPassword(password) {
      checkPassword(password)
      await control.execute('change-vnc-password', { password })
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        await control.execute('quit').catch(() => undefined)
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
        await exited
        clearTimeout(timer)
      }
      control.close()
    },
  }
}

/** QEMU creates its QMP socket during start-up: keep trying until it answers or QEMU exits. */
async function connectQmp(socketPath: string, child: ChildProcess, stderr: () => string): Promise<Qmp> {
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`QEMU exited during start-up: ${stderr().trim() || `code ${child.exitCode}`}`)
    }
    try {
      return await Qmp.connect(socketPath)
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`QEMU's QMP socket never answered: ${stderr().trim()}`, { cause: err })
      await new Promise((r) => setTimeout(r, 50))
    }
  }
}
