// A real `electron-builder --dir --linux` run, offline: electronDist points at a fake unpacked
// Electron (the real zip cannot be downloaded here), so everything electron-builder does to our
// app is real — file selection, asar, unpacking of native modules, our afterPack fuse flip.
// It packs the current out/ (npm test builds before vitest); without a build it is skipped.
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import { builtinModules } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { listPackage } from '@electron/asar'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')
const built = fs.existsSync(path.join(root, 'out/main/index.js')) && fs.existsSync(path.join(root, 'out/renderer/index.html'))
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
// Electron's default wire: RunAsNode, NODE_OPTIONS, --inspect and file: privileges on.
const DEFAULT_WIRE = [0x31, 0x30, 0x31, 0x31, 0x30, 0x30, 0x30, 0x31]
// What the packaged app must carry, in wire order (see build/after-pack.cjs).
const SHIPPED_WIRE = '01001100'

let tmp: string
let appOutDir: string
let files: string[]
let wireAt: number
let output = ''

function runBuilder(args: string[], deadlineMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules/electron-builder/cli.js'), ...args], {
      cwd: root,
      env: { ...process.env, ELECTRON_BUILDER_CACHE: path.join(tmp, 'cache'), CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
    })
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`electron-builder still running after ${deadlineMs} ms:\n${output}`))
    }, deadlineMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
  })
}

describe.skipIf(!built)('electron-builder --dir with a fake Electron', () => {
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-pack-'))
    const dist = path.join(tmp, 'electron-dist')
    fs.mkdirSync(path.join(dist, 'resources'), { recursive: true })
    const head = crypto.randomBytes(4096)
    wireAt = head.length + SENTINEL.length + 2
    fs.writeFileSync(
      path.join(dist, 'electron'),
      Buffer.concat([head, Buffer.from(SENTINEL), Buffer.from([1, DEFAULT_WIRE.length, ...DEFAULT_WIRE]), crypto.randomBytes(512)]),
      { mode: 0o755 },
    )
    fs.writeFileSync(path.join(dist, 'version'), '45.4.1')
    fs.writeFileSync(path.join(dist, 'LICENSE'), 'MIT')
    fs.writeFileSync(path.join(dist, 'LICENSES.chromium.html'), '<p>licenses</p>')
    const out = path.join(tmp, 'pack')
    const code = await runBuilder(
      ['--dir', '--linux', '--x64', '--publish', 'never', `-c.electronDist=${dist}`, `-c.directories.output=${out}`],
      180_000,
    )
    if (code !== 0) throw new Error(`electron-builder exited with ${code}:\n${output}`)
    appOutDir = path.join(out, 'linux-unpacked')
    files = listPackage(path.join(appOutDir, 'resources/app.asar'), { isPack: false })
  }, 200_000)
  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
  })

  it('names the executable porthole and flips its fuses in the afterPack hook', () => {
    const binary = fs.readFileSync(path.join(appOutDir, 'porthole'))
    expect(binary.indexOf(SENTINEL)).toBe(wireAt - SENTINEL.length - 2)
    expect(binary.subarray(wireAt, wireAt + 8).toString('ascii')).toBe(SHIPPED_WIRE)
    expect(output).not.toMatch(/afterPack.*(error|failed)/i)
  })

  it('packs the build output and package.json into app.asar, and no sources', () => {
    for (const f of ['/package.json', '/out/main/index.js', '/out/preload/index.js', '/out/renderer/index.html']) {
      expect(files, f).toContain(f)
    }
    const own = files.filter((f) => !f.startsWith('/node_modules/'))
    expect(own.filter((f) => /\.(ts|tsx|mts|map)$/.test(f))).toEqual([])
    expect(own.filter((f) => /^\/(main|renderer|preload|contract|lab|test|bench|scripts|build|assets)\//.test(f))).toEqual([])
  })

  it('brings the production dependencies the main bundle requires, and no dev tools', () => {
    const main = fs.readFileSync(path.join(root, 'out/main/index.js'), 'utf8')
    const required = new Set(
      [...main.matchAll(/(?:require|import)\("([^"./][^"]*)"\)/g)]
        .map((m) => m[1]!)
        .filter((id) => !id.startsWith('node:') && !builtinModules.includes(id) && id !== 'electron')
        .map((id) => id.split('/').slice(0, id.startsWith('@') ? 2 : 1).join('/')),
    )
    expect(required.size).toBeGreaterThan(0)
    for (const dep of required) expect(files, dep).toContain(`/node_modules/${dep}/package.json`)
    for (const dev of ['electron', 'vitest', 'typescript', 'electron-builder', 'vite', 'react', '@playwright/test']) {
      expect(files, dev).not.toContain(`/node_modules/${dev}/package.json`)
    }
  })

  it('keeps the argon2 native module outside the asar, where it can be loaded', () => {
    const unpacked = path.join(appOutDir, 'resources/app.asar.unpacked/node_modules/@node-rs')
    const natives = fs.readdirSync(unpacked, { recursive: true }).map(String).filter((f) => f.endsWith('.node'))
    expect(natives.length).toBeGreaterThan(0)
  })
})
