// electron-builder.yml checked with electron-builder's own loader and schema (offline), and the
// afterPack fuse flip run on fake Electron binaries that carry the real fuse wire format.
import crypto from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { getCurrentFuseWire, FuseV1Options } from '@electron/fuses'
import type { Configuration } from 'app-builder-lib'
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { DebugLogger } from 'builder-util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')
const require = createRequire(import.meta.url)

interface AfterPackContext {
  appOutDir: string
  electronPlatformName: string
  arch: number
  packager: { appInfo: { productFilename: string }; executableName?: string }
}
interface AfterPackModule {
  afterPack(context: AfterPackContext): Promise<void>
  flipPortholeFuses(executable: string, options?: { resetAdHocDarwinSignature?: boolean }): Promise<Record<string, unknown>>
  executablePath(context: AfterPackContext): string
  PORTHOLE_FUSES: Record<string, boolean>
}
const hook = require('../../build/after-pack.cjs') as AfterPackModule

// From @electron/fuses (dist/constants.js): the sentinel, then one byte of wire version, one
// byte of wire length, then one byte a fuse: '0' disabled, '1' enabled, 'r' removed.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
const ENABLE = 0x31
const DISABLE = 0x30
const REMOVED = 0x72

/** What Porthole ships: fuse index → byte. */
const WANTED: Record<number, number> = {
  [FuseV1Options.RunAsNode]: DISABLE,
  [FuseV1Options.EnableCookieEncryption]: ENABLE,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: DISABLE,
  [FuseV1Options.EnableNodeCliInspectArguments]: DISABLE,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: ENABLE,
  [FuseV1Options.OnlyLoadAppFromAsar]: ENABLE,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: DISABLE,
}

let tmp: string
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-packaging-'))
})
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

/** A fake Electron binary: random bytes around a fuse wire as Electron's default build ships it. */
function fakeElectron(file: string, wire: number[], version = 1): { before: Buffer; wireAt: number } {
  const head = crypto.randomBytes(4096)
  const tail = crypto.randomBytes(2048)
  const before = Buffer.concat([head, Buffer.from(SENTINEL, 'ascii'), Buffer.from([version, wire.length, ...wire]), tail])
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, before, { mode: 0o755 })
  return { before, wireAt: head.length + SENTINEL.length + 2 }
}

// Electron's defaults: RunAsNode, NODE_OPTIONS and --inspect on, cookie encryption, integrity and asar-only off.
const DEFAULT_WIRE = [ENABLE, DISABLE, ENABLE, ENABLE, DISABLE, DISABLE, DISABLE, ENABLE]

describe('electron-builder.yml', () => {
  let config: Configuration
  beforeAll(async () => {
    config = await getConfig(root, path.join(root, 'electron-builder.yml'), null)
  })

  it("passes electron-builder's own schema validation", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('is really checked by that validation (a wrong field fails it)', async () => {
    const broken = { ...config, asar: 'sometimes' } as unknown as Configuration
    await expect(validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(/asar/)
  })

  it('names the app and packs it into an asar with the build output only', () => {
    expect(config.appId).toBe('io.porthole.app')
    expect(config.productName).toBe('Porthole')
    expect(config.asar).toBe(true)
    expect(config.directories?.buildResources).toBe('build')
    const files = (config.files as { filter: string[] }[]).flatMap((f) => f.filter)
    expect(files).toEqual(expect.arrayContaining(['out/**', 'package.json']))
    expect(files.some((f) => /^(src|main|renderer|contract|lab|test)\b/.test(f))).toBe(false)
  })

  it('targets AppImage and deb, a hardened-runtime dmg, and nsis', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.linux?.category).toBe('Network')
    expect(config.linux?.maintainer).toMatch(/<.+@.+>/)
    expect(config.mac?.target).toEqual(['dmg'])
    expect(config.mac?.category).toBe('public.app-category.developer-tools')
    expect(config.mac?.hardenedRuntime).toBe(true)
    expect(config.win?.target).toEqual(['nsis'])
  })

  it('points at files that exist: entitlements, a 1024 px icon and the afterPack hook', () => {
    for (const file of [config.mac?.entitlements, config.mac?.entitlementsInherit]) {
      expect(file && fs.readFileSync(path.join(root, file), 'utf8')).toContain('com.apple.security.cs.allow-jit')
    }
    for (const icon of [config.linux?.icon, config.mac?.icon, config.win?.icon]) {
      const png = fs.readFileSync(path.join(root, icon ?? 'missing'))
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG')
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024])
    }
    expect(config.afterPack).toBe('./build/after-pack.cjs')
    expect(typeof (require(path.join(root, config.afterPack as string)) as AfterPackModule).afterPack).toBe('function')
    // electron-builder's own fuse step would run after ours; keep fuses in one place.
    expect(config.electronFuses).toBeUndefined()
  })

  it('ships an app icon for the window too', () => {
    const png = fs.readFileSync(path.join(root, 'assets/icon.png'))
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512])
  })
})

describe('afterPack: fuses', () => {
  it('flips every fuse to the shipped value and changes no other byte', async () => {
    const file = path.join(tmp, 'flip', 'electron')
    const { before, wireAt } = fakeElectron(file, DEFAULT_WIRE)
    await hook.flipPortholeFuses(file)
    const after = fs.readFileSync(file)
    expect(after.length).toBe(before.length)
    for (const [index, byte] of Object.entries(WANTED)) {
      expect(after[wireAt + Number(index)], FuseV1Options[Number(index)]).toBe(byte)
    }
    // LoadBrowserProcessSpecificV8Snapshot is not ours to set: left as it was.
    expect(after[wireAt + FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(DISABLE)
    const changed = [...after].flatMap((b, i) => (b === before[i] ? [] : [i - wireAt]))
    expect(changed.sort()).toEqual(
      Object.keys(WANTED)
        .map(Number)
        .filter((i) => DEFAULT_WIRE[i] !== WANTED[i])
        .sort(),
    )
    // And @electron/fuses reads back the same.
    const wire = await getCurrentFuseWire(file)
    expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLE)
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE)
  })

  it('leaves fuses a newer Electron adds (beyond what we know) alone', async () => {
    const file = path.join(tmp, 'longer', 'electron')
    const wire = [...DEFAULT_WIRE, ENABLE, REMOVED]
    const { wireAt } = fakeElectron(file, wire)
    await hook.flipPortholeFuses(file)
    const after = fs.readFileSync(file)
    expect([after[wireAt + 8], after[wireAt + 9]]).toEqual([ENABLE, REMOVED])
    expect(after[wireAt + FuseV1Options.RunAsNode]).toBe(DISABLE)
  })

  it('fails the build on a binary without a fuse wire or with an unknown wire version', async () => {
    const plain = path.join(tmp, 'plain')
    fs.writeFileSync(plain, crypto.randomBytes(8192))
    await expect(hook.flipPortholeFuses(plain)).rejects.toThrow(/sentinel/)
    const v2 = path.join(tmp, 'v2', 'electron')
    fakeElectron(v2, DEFAULT_WIRE, 2)
    await expect(hook.flipPortholeFuses(v2)).rejects.toThrow(/version/)
  })

  it('finds the executable per platform the way electron-builder names it', () => {
    const packager = { appInfo: { productFilename: 'Porthole' }, executableName: 'porthole' }
    const ctx = (electronPlatformName: string): AfterPackContext => ({ appOutDir: '/out', electronPlatformName, arch: 1, packager })
    expect(hook.executablePath(ctx('linux'))).toBe(path.join('/out', 'porthole'))
    expect(hook.executablePath(ctx('win32'))).toBe(path.join('/out', 'Porthole.exe'))
    expect(hook.executablePath(ctx('darwin'))).toBe(path.join('/out', 'Porthole.app'))
    expect(hook.executablePath(ctx('mas'))).toBe(path.join('/out', 'Porthole.app'))
    expect(() => hook.executablePath(ctx('freebsd'))).toThrow(/no executable path/)
  })

  it.each([
    ['linux', 'porthole'],
    ['win32', 'Porthole.exe'],
    // macOS fuses live in the framework binary; x64 needs no ad-hoc re-signing (which needs codesign).
    ['darwin', 'Porthole.app/Contents/Frameworks/Electron Framework.framework/Electron Framework'],
  ])('afterPack on %s flips the packaged binary at %s', async (platform, relative) => {
    const appOutDir = path.join(tmp, `pack-${platform}`)
    const binary = path.join(appOutDir, relative)
    const { wireAt } = fakeElectron(binary, DEFAULT_WIRE)
    await hook.afterPack({
      appOutDir,
      electronPlatformName: platform,
      arch: 1, // builder-util Arch.x64
      packager: { appInfo: { productFilename: 'Porthole' }, executableName: 'porthole' },
    })
    const after = fs.readFileSync(binary)
    for (const [index, byte] of Object.entries(WANTED)) expect(after[wireAt + Number(index)]).toBe(byte)
  })
})
