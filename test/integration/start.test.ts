// `npm start` where Electron cannot run (this machine) and where it can (a fake binary).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')
const script = path.join(root, 'scripts/start.mjs')
const LINE =
  'Porthole: the Electron binary is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD or no network). ' +
  'Run `npm run dev:web` to use Porthole in your browser instead.'

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs start.mjs; a run that outlives the deadline is killed and fails the test (it would be hanging on a download). */
function run(args: string[], env: Record<string, string | undefined>, deadlineMs = 20_000): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env }
  for (const key of ['ELECTRON_EXEC_PATH', 'ELECTRON_OVERRIDE_DIST_PATH', 'ELECTRON_ENTRY', 'ELECTRON_RENDERER_URL']) delete childEnv[key]
  for (const [key, value] of Object.entries(env)) if (value !== undefined) childEnv[key] = value
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: root, env: childEnv })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`start.mjs still running after ${deadlineMs} ms; output so far: ${stdout}${stderr}`))
    }, deadlineMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

const electronDir = path.join(root, 'node_modules/electron')
const binaryInstalled = ((): boolean => {
  const pathFile = path.join(electronDir, 'path.txt')
  return fs.existsSync(pathFile) && fs.existsSync(path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8')))
})()

let tmp: string
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-start-'))
})
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

describe('npm start without an Electron binary', () => {
  it.skipIf(binaryInstalled)('prints one line naming dev:web and exits 1, without trying to download', async () => {
    const result = await run([], {})
    expect(result).toEqual({ code: 1, stdout: '', stderr: `${LINE}\n` })
  })

  it('says the same when the binary is overridden to a folder that has none', async () => {
    const empty = fs.mkdtempSync(path.join(tmp, 'dist-'))
    expect(await run([], { ELECTRON_OVERRIDE_DIST_PATH: empty })).toEqual({ code: 1, stdout: '', stderr: `${LINE}\n` })
  })

  it('says the same when ELECTRON_EXEC_PATH names a missing file', async () => {
    const missing = path.join(tmp, 'no-such-electron')
    expect(await run(['--dev'], { ELECTRON_EXEC_PATH: missing })).toEqual({ code: 1, stdout: '', stderr: `${LINE}\n` })
  })
})

describe('npm start with an Electron binary', () => {
  it.skipIf(process.platform === 'win32')('launches it on the app through electron-vite and passes its exit code on', async () => {
    const record = path.join(tmp, 'electron-args.json')
    const fake = path.join(tmp, 'electron')
    fs.writeFileSync(
      fake,
      `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd() }))\nprocess.exit(7)\n`,
      { mode: 0o755 },
    )
    // --skip-build and ELECTRON_ENTRY keep this test off the shared out/ folder.
    const result = await run(['--skip-build'], { ELECTRON_EXEC_PATH: fake, ELECTRON_ENTRY: 'out/main/index.js' })
    expect(result.code).toBe(7)
    expect(result.stderr).not.toContain('not installed')
    expect(JSON.parse(fs.readFileSync(record, 'utf8'))).toEqual({ args: ['out/main/index.js'], cwd: root })
  })
})
