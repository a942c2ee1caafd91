// TigerVNC's Xvnc (Debian's tigervnc-standalone-server) as a second real VNC server: unlike QEMU
// it has an X display with a real clipboard, which Xvnc itself bridges to RFB cut text (1.10 and
// later need no vncconfig). xclip sets and reads that clipboard as a program in the guest would.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { VNC_PASSWORD_MAX, vncAuthResponse } from '../../main/services/consoles/vnc-auth'
import type { Log } from '../../main/services/log/log'
import { freePort } from './free-port'
import { spawnServer } from './server-process'

export const XVNC_BINARY = process.env.PORTHOLE_XVNC ?? 'Xtigervnc'
const XCLIP_BINARY = 'xclip'
/** What to install when tigervncVersion() finds nothing (for skip messages). */
export const TIGERVNC_PACKAGES = 'tigervnc-standalone-server xclip'

/** The X selections a guest program copies to: CLIPBOARD (Ctrl+C) and PRIMARY (selecting text). */
export type XSelection = 'clipboard' | 'primary'

function run(file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 10_000, encoding: 'utf8', ...(env ? { env } : {}) }, (err, stdout, stderr) => {
      resolve({ ok: !err, stdout, stderr })
    })
  })
}

/**
 * The installed Xvnc's version line ("Xvnc TigerVNC 1.12.0 - built …"), or undefined when Xtigervnc
 * or xclip is missing (or PORTHOLE_XVNC=off).
 */
export async function tigervncVersion(): Promise<string | undefined> {
  if (XVNC_BINARY === 'off') return undefined
  const [xvnc, xclip] = await Promise.all([run(XVNC_BINARY, ['-version']), run(XCLIP_BINARY, ['-version'])])
  if (!xvnc.ok || !xclip.ok) return undefined
  // Xvnc prints its banner on stderr.
  return /Xvnc TigerVNC [^\n]*/.exec(xvnc.stderr + xvnc.stdout)?.[0].trim()
}

/**
 * The file Xvnc's -PasswordFile reads (what vncpasswd writes): the password's first 8 bytes,
 * zero padded, DES-encrypted under VNC's fixed obfuscation key. DES-ECB under a key is what
 * vncAuthResponse computes; the fixed key goes through the same bit reversal as a password.
 */
export function vncPasswordFile(password: string): Buffer {
  const block = Buffer.alloc(16)
  Buffer.from(password, 'latin1').copy(block, 0, 0, VNC_PASSWORD_MAX)
  return vncAuthResponse(String.fromCharCode(23, 82, 107, 6, 35, 78, 88, 7), block).subarray(0, 8)
}

/**
 * An Xauthority file with one MIT-MAGIC-COOKIE-1 entry for any display (family, address and
 * display number all wild), so only processes given this file reach the lab's X server.
 */
export function xauthorityFile(cookie: Buffer): Buffer {
  const field = (b: Buffer): Buffer => Buffer.concat([u16(b.length), b])
  return Buffer.concat([u16(0xffff), field(Buffer.alloc(0)), field(Buffer.alloc(0)), field(Buffer.from('MIT-MAGIC-COOKIE-1')), field(cookie)])
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2)
  b.writeUInt16BE(n)
  return b
}

export interface TigervncOptions {
  /** The desktop name in ServerInit. */
  name?: string
  /** Where the password and Xauthority files go; a fresh temp dir (removed on stop) when absent. */
  dir?: string
  /** VNC Authentication with this password (8 characters at most); security type None when absent. */
  password?: string
  /** Screen size, default 800x600. */
  geometry?: string
  /** More Xvnc parameters, e.g. { SendPrimary: '0' }. */
  params?: Record<string, string>
  log?: Log
}

/** One running Xvnc: an X display and its RFB port on 127.0.0.1. */
export interface Tigervnc {
  readonly name: string
  readonly pid: number
  /** The X display number (Xvnc chose a free one). */
  readonly display: number
  readonly port: number
  /** Where its password and Xauthority files are. */
  readonly dir: string
  /** What xclip (or any X client) needs in its environment to reach this display. */
  readonly env: NodeJS.ProcessEnv
  /** A guest program copies text: xclip takes the selection and serves it until someone else takes it. */
  setClipboard(text: string, selection?: XSelection): Promise<void>
  /** The selection's text as a guest program would paste it, or undefined when nobody owns it. */
  readClipboard(selection?: XSelection): Promise<string | undefined>
  /** Everything Xvnc wrote to stderr (its log). */
  output(): string
  stop(): Promise<void>
}

/** Starts Xtigervnc on a free display and port bound to 127.0.0.1; retries with another port if one was taken. */
export async function startTigervnc(options: TigervncOptions = {}): Promise<Tigervnc> {
  if (options.password !== undefined && (options.password.length === 0 || options.password.length > VNC_PASSWORD_MAX)) {
    throw new Error(`a VNC password has 1 to ${VNC_PASSWORD_MAX} characters`)
  }
  const ownDir = options.dir === undefined
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-xvnc-'))
  fs.mkdirSync(dir, { recursive: true })
  let lastError: unknown
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await launch(options, dir, ownDir)
    } catch (err) {
      lastError = err
      if (!/bind|address already in use/i.test((err as Error).message)) break
    }
  }
  if (ownDir) fs.rmSync(dir, { recursive: true, force: true })
  throw lastError
}

async function launch(options: TigervncOptions, dir: string, ownDir: boolean): Promise<Tigervnc> {
  const name = options.name ?? 'porthole-tigervnc'
  const port = await freePort()
  const xauthority = path.join(dir, 'Xauthority')
  fs.writeFileSync(xauthority, xauthorityFile(crypto.randomBytes(16)), { mode: 0o600 })
  const security: string[] = []
  if (options.password !== undefined) {
    const passwordFile = path.join(dir, 'passwd')
    fs.writeFileSync(passwordFile, vncPasswordFile(options.password), { mode: 0o600 })
    security.push('-SecurityTypes', 'VncAuth', '-PasswordFile', passwordFile)
  } else {
    security.push('-SecurityTypes', 'None')
  }
  const args = [
    // Xvnc picks a free display and writes its number to fd 3 once X clients can connect.
    '-displayfd', '3',
    '-auth', xauthority,
    '-nolisten', 'tcp',
    '-interface', '127.0.0.1',
    '-rfbport', String(port),
    '-desktop', name,
    '-geometry', options.geometry ?? '800x600',
    '-depth', '24',
    // TigerVNC blacklists a host after 5 failed passwords; tests fail passwords on purpose.
    '-BlacklistThreshold', '1000',
    ...security,
    ...Object.entries(options.params ?? {}).flatMap(([k, v]) => [`-${k}`, v]),
  ]
  const { child, stderr: log, exited } = spawnServer(XVNC_BINARY, args, ['ignore', 'ignore', 'pipe', 'pipe'])

  let display: number
  try {
    display = await displayNumber(child, log)
    await waitForRfb(port, child, log)
  } catch (err) {
    child.kill('SIGKILL')
    await exited
    throw err
  }
  options.log?.info('tigervnc: started', { name, pid: child.pid, display, port })
  const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: `:${display}`, XAUTHORITY: xauthority }
  const readClipboard = async (selection: XSelection = 'clipboard'): Promise<string | undefined> => {
    const r = await run(XCLIP_BINARY, ['-selection', selection, '-o'], env)
    if (r.ok) return r.stdout
    // What xclip says when the selection has no owner (or the owner offers no text).
    if (/not available|no owner/i.test(r.stderr)) return undefined
    throw new Error(`xclip -o failed: ${r.stderr.trim()}`)
  }

  return {
    name,
    pid: child.pid ?? -1,
    display,
    port,
    dir,
    env,
    async setClipboard(text, selection = 'clipboard') {
      await xclipIn(text, selection, env)
      // xclip's parent can exit before its forked child's XSetSelectionOwner reached the server.
      const deadline = Date.now() + 5000
      while ((await readClipboard(selection)) !== text) {
        if (Date.now() > deadline) throw new Error(`the X ${selection} selection does not hold the text xclip was given`)
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    readClipboard,
    output: log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
        await exited
        clearTimeout(timer)
      }
      if (ownDir) fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Reads the display number Xvnc writes to fd 3 when it is ready, or fails with its log if it exits first. */
function displayNumber(child: ChildProcess, stderr: () => string): Promise<number> {
  const pipe = child.stdio[3] as NodeJS.ReadableStream | null | undefined
  if (!pipe) return Promise.reject(new Error('Xvnc has no display pipe'))
  return new Promise((resolve, reject) => {
    let text = ''
    const timer = setTimeout(() => finish(new Error(`Xvnc named no display within 20 s: ${stderr().trim()}`)), 20_000)
    const onExit = (): void => finish(new Error(`Xvnc exited during start-up: ${lastError(stderr()) || `code ${child.exitCode}`}`))
    const onData = (chunk: Buffer | string): void => {
      text += chunk.toString()
      const m = /^(\d+)\n/.exec(text)
      if (m) finish(undefined, Number(m[1]))
    }
    function finish(err: Error | undefined, display?: number): void {
      clearTimeout(timer)
      pipe?.removeListener('data', onData)
      child.removeListener('exit', onExit)
      if (err) reject(err)
      else resolve(display ?? -1)
    }
    pipe.on('data', onData)
    child.once('exit', onExit)
  })
}

/** The "Fatal server error" line Xvnc gives for a failed start (a taken port reads "failed to bind socket"). */
function lastError(log: string): string {
  const fatal = /Fatal server error:\s*\n(?:\(EE\) )?([^\n]+)/.exec(log)
  return fatal?.[1]?.trim() ?? log.trim()
}

/** Polls until the RFB port greets with a protocol version: the VNC side is up, not only X. */
async function waitForRfb(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`Xvnc exited during start-up: ${lastError(stderr())}`)
    if (await greets(port)) return
    if (Date.now() > deadline) throw new Error(`Xvnc's RFB port ${port} never greeted: ${stderr().trim()}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    let got = ''
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(2000, () => done(false))
    socket.on('error', () => done(false))
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1')
      if (got.length >= 12) done(/^RFB \d{3}\.\d{3}\n/.test(got))
    })
    socket.on('close', () => done(false))
  })
}

/**
 * xclip -i reads the text, takes the selection and forks a child that serves it; the command
 * returns once the selection is taken. The forked child keeps the stderr pipe, so wait for
 * 'exit', not 'close', and let go of the pipe.
 */
function xclipIn(text: string, selection: XSelection, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(XCLIP_BINARY, ['-selection', selection, '-i'], { env, stdio: ['pipe', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (t: string) => {
      stderr += t
    })
    child.once('error', reject)
    child.once('exit', (code) => {
      child.stderr?.destroy()
      if (code === 0) resolve()
      else reject(new Error(`xclip -i exited with ${code}: ${stderr.trim()}`))
    })
    child.stdin?.end(text, 'utf8')
  })
}
