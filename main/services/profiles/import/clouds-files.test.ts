import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { configFileCandidates, deepMerge, displayPath, openstackConfigDirs, parseConfigText, readFirstConfig, type SearchContext } from './clouds-files'

describe('openstackConfigDirs', () => {
  it('follows openstacksdk on Linux: cwd, XDG config home, ~/.config, XDG config dirs, /etc/openstack', () => {
    const ctx: SearchContext = {
      env: { XDG_CONFIG_HOME: '/x/config', XDG_CONFIG_DIRS: '/x/site:/x/other' },
      platform: 'linux',
      homeDir: '/home/u',
      cwd: '/work',
    }
    expect(openstackConfigDirs(ctx)).toEqual([
      '/work',
      '/x/config/openstack',
      '/home/u/.config/openstack',
      '/x/site/openstack',
      '/etc/openstack',
    ])
  })

  it('drops the repeat when XDG config home is ~/.config, and defaults the site dir to /etc/xdg', () => {
    const ctx: SearchContext = { env: {}, platform: 'linux', homeDir: '/home/u', cwd: '/work' }
    expect(openstackConfigDirs(ctx)).toEqual(['/work', '/home/u/.config/openstack', '/etc/xdg/openstack', '/etc/openstack'])
  })

  it('looks in the real home under a snap', () => {
    const ctx: SearchContext = { env: { SNAP_REAL_HOME: '/home/real' }, platform: 'linux', homeDir: '/home/u/snap/x/1', cwd: '/w' }
    expect(openstackConfigDirs(ctx)).toContain('/home/real/.config/openstack')
  })

  it('uses Application Support on macOS', () => {
    const ctx: SearchContext = { env: {}, platform: 'darwin', homeDir: '/Users/u', cwd: '/w' }
    expect(openstackConfigDirs(ctx)).toEqual([
      '/w',
      '/Users/u/Library/Application Support/openstack',
      '/Users/u/.config/openstack',
      '/Library/Application Support/openstack',
      '/etc/openstack',
    ])
  })

  it('uses LOCALAPPDATA and PROGRAMDATA on Windows', () => {
    const ctx: SearchContext = {
      env: { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local', PROGRAMDATA: 'C:\\ProgramData' },
      platform: 'win32',
      homeDir: 'C:\\Users\\u',
      cwd: 'C:\\w',
    }
    expect(openstackConfigDirs(ctx)).toEqual([
      'C:\\w',
      'C:\\Users\\u\\AppData\\Local\\OpenStack\\openstack',
      'C:\\Users\\u\\.config\\openstack',
      'C:\\ProgramData\\OpenStack\\openstack',
      '/etc/openstack',
    ])
  })
})

describe('configFileCandidates', () => {
  const ctx: SearchContext = { env: {}, platform: 'linux', homeDir: '/h', cwd: '/w' }

  it('tries clouds.yaml, clouds.yml, clouds.json in each directory, in order', () => {
    expect(configFileCandidates(ctx, 'clouds').slice(0, 4)).toEqual([
      '/w/clouds.yaml',
      '/w/clouds.yml',
      '/w/clouds.json',
      '/h/.config/openstack/clouds.yaml',
    ])
    expect(configFileCandidates(ctx, 'secure')[0]).toBe('/w/secure.yaml')
  })

  it('puts OS_CLIENT_CONFIG_FILE and OS_CLIENT_SECURE_FILE in front', () => {
    const env = { OS_CLIENT_CONFIG_FILE: '/elsewhere/c.yaml', OS_CLIENT_SECURE_FILE: '/elsewhere/s.yaml' }
    expect(configFileCandidates({ ...ctx, env }, 'clouds')[0]).toBe('/elsewhere/c.yaml')
    expect(configFileCandidates({ ...ctx, env }, 'secure')[0]).toBe('/elsewhere/s.yaml')
  })
})

describe('displayPath', () => {
  it('shows files under the home directory as ~/…, and others as they are', () => {
    const linux: SearchContext = { env: {}, platform: 'linux', homeDir: '/home/u', cwd: '/w' }
    expect(displayPath('/home/u/.config/openstack/clouds.yaml', linux)).toBe('~/.config/openstack/clouds.yaml')
    expect(displayPath('/home/uu/clouds.yaml', linux)).toBe('/home/uu/clouds.yaml')
    expect(displayPath('/etc/openstack/clouds.yaml', linux)).toBe('/etc/openstack/clouds.yaml')
    const win: SearchContext = { env: {}, platform: 'win32', homeDir: 'C:\\Users\\u', cwd: 'C:\\w' }
    expect(displayPath('C:\\Users\\u\\AppData\\clouds.yaml', win)).toBe('~\\AppData\\clouds.yaml')
  })
})

describe('readFirstConfig', () => {
  let dir: string
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-clouds-'))
  })
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

  const write = (name: string, text: string): string => {
    const file = path.join(dir, name)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, text)
    return file
  }

  it('returns the first file that exists and says nothing of missing ones', async () => {
    const second = write('b/clouds.yaml', 'clouds: {b: {}}')
    write('c/clouds.yaml', 'clouds: {c: {}}')
    const result = await readFirstConfig([path.join(dir, 'a/clouds.yaml'), second, path.join(dir, 'c/clouds.yaml')])
    expect(result.found?.path).toBe(second)
    expect(result.found?.data).toEqual({ clouds: { b: {} } })
    expect(result.problems).toEqual([])
  })

  it('skips a file that does not parse, or is not a mapping, or is a directory, and says so', async () => {
    const broken = write('a/clouds.yaml', 'clouds: [unclosed')
    const list = write('b/clouds.yaml', '- a\n- b\n')
    fs.mkdirSync(path.join(dir, 'c/clouds.yaml'), { recursive: true })
    const good = write('d/clouds.json', '{"clouds": {"j": {}}}')
    const result = await readFirstConfig([broken, list, path.join(dir, 'c/clouds.yaml'), good])
    expect(result.found?.path).toBe(good)
    expect(result.problems).toHaveLength(2)
    expect(result.problems[0]).toContain('could not be parsed')
  })

  it('skips a file larger than 1 MiB', async () => {
    const big = write('big/clouds.yaml', `# ${'x'.repeat(1024 * 1024)}\n`)
    const result = await readFirstConfig([big])
    expect(result.found).toBeUndefined()
    expect(result.problems[0]).toContain('larger than 1 MiB')
  })

  it.skipIf(process.getuid?.() === 0)('skips a file it may not read', async () => {
    const locked = write('l/clouds.yaml', 'clouds: {}')
    fs.chmodSync(locked, 0o000)
    const result = await readFirstConfig([locked])
    expect(result.found).toBeUndefined()
    expect(result.problems[0]).toContain('EACCES')
  })
})

describe('parseConfigText and deepMerge', () => {
  it('reads YAML and JSON, and an empty file as nothing', () => {
    expect(parseConfigText('clouds:\n  a:\n    region_name: R\n')).toEqual({ clouds: { a: { region_name: 'R' } } })
    expect(parseConfigText('{"clouds": {}}')).toEqual({ clouds: {} })
    expect(parseConfigText('')).toEqual({})
    expect(() => parseConfigText('just text')).toThrow()
  })

  it('refuses a document that expands aliases without end', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for (let i = 1; i < 10; i++) bomb.push(`${'b'.repeat(i)}: &${'b'.repeat(i)} [${Array(9).fill(i === 1 ? '*a' : `*${'b'.repeat(i - 1)}`).join(',')}]`)
    expect(() => parseConfigText(bomb.join('\n'))).toThrow(/alias/i)
  })

  it('merges mappings recursively, the second winning, and replaces anything else', () => {
    const base = { clouds: { a: { auth: { username: 'u', password: 'old' }, regions: ['R1', 'R2'] }, b: {} } }
    const over = { clouds: { a: { auth: { password: 'new' }, regions: ['R3'] }, c: { x: 1 } } }
    expect(deepMerge(base, over)).toEqual({
      clouds: { a: { auth: { username: 'u', password: 'new' }, regions: ['R3'] }, b: {}, c: { x: 1 } },
    })
  })

  it('does not let a __proto__ key reach the prototype', () => {
    const merged = deepMerge({}, JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>)
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype)
    expect((merged as { polluted?: unknown }).polluted).toBeUndefined()
  })
})
