// A real host (vault with tiny KDF costs, profiles) behind the real WebSocket transport on
// 127.0.0.1, and the browser client over a `ws` socket that keeps every frame it received:
// what the renderer would see, byte for byte.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { PortholeApi } from '../../contract/client'
import type { CallInput, CallOutput } from '../../contract/define'
import type { Calls } from '../../contract/index'
import type { WireError } from '../../contract/errors'
import type { Host } from '../../main/host'
import { memoryLog } from '../../main/services/log/log'
import type { Env } from '../../main/services/profiles/import/candidate'
import { startWsHost } from '../helpers/ws-host'

export const TINY_KDF = { m: 64, t: 1, p: 1 }
export const MASTER_PASSWORD = 'master password for tests'

export interface ProfilesHarness {
  root: string
  dataDir: string
  /** The workstation the import reads: cwd and home under root. */
  cwd: string
  home: string
  host: Host
  api: PortholeApi
  log: ReturnType<typeof memoryLog>
  /** Every frame the client received, as sent. */
  frames: string[]
  /** Every event the client received. */
  events: { name: string; payload: unknown }[]
  /** Calls and returns the value; throws the wire error as an Error with `code`. */
  call<K extends keyof Calls>(name: K, input: CallInput<Calls[K]>): Promise<CallOutput<Calls[K]>>
  /** Calls and returns the wire error it must fail with. */
  fail<K extends keyof Calls>(name: K, input: CallInput<Calls[K]>): Promise<WireError>
  /** Every file under dataDir, concatenated. */
  dataBytes(): Buffer
  close(): Promise<void>
}

export { until } from '../helpers/until'

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    return e.isDirectory() ? filesUnder(full) : e.isFile() ? [full] : []
  })
}

export async function startProfilesHarness(env: Env = {}): Promise<ProfilesHarness> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-profiles-it-'))
  const dataDir = path.join(root, 'data')
  const cwd = path.join(root, 'cwd')
  const home = path.join(root, 'home')
  for (const d of [dataDir, cwd, home]) fs.mkdirSync(d, { recursive: true })
  const log = memoryLog()
  let settings: unknown
  const ws = await startWsHost({
    dataDir,
    version: '0.0.0-test',
    platform: 'linux',
    settingsStore: { read: () => settings, write: (v) => (settings = v) },
    log,
    vault: { kdf: TINY_KDF },
    // XDG_CONFIG_DIRS keeps the site directory inside the temp root too.
    profiles: { env: { XDG_CONFIG_DIRS: path.join(root, 'site'), ...env }, platform: 'linux', cwd, homeDir: home, exportKdf: TINY_KDF },
  })
  const { host, api, frames, events } = ws

  const harness: ProfilesHarness = {
    root,
    dataDir,
    cwd,
    home,
    host,
    api,
    log,
    frames,
    events,
    async call(name, input) {
      const result = await api.call(name, input)
      if (!result.ok) throw Object.assign(new Error(`${String(name)}: ${result.error.code} ${result.error.message}`), { code: result.error.code })
      return result.value
    },
    async fail(name, input) {
      const result = await api.call(name, input)
      if (result.ok) throw new Error(`${String(name)} was expected to fail`)
      return result.error
    },
    dataBytes: () => Buffer.concat(filesUnder(dataDir).map((f) => fs.readFileSync(f))),
    async close() {
      await ws.close()
      fs.rmSync(root, { recursive: true, force: true })
    },
  }
  await harness.call('vault.create', { password: MASTER_PASSWORD })
  return harness
}
