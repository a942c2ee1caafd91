// The import sources against real files in temp dirs laid out like a workstation:
// <root>/cwd, <root>/home/.config/openstack, <root>/site/openstack (XDG_CONFIG_DIRS).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PortholeError } from '../../../../contract/errors'
import type { Env } from './candidate'
import type { SearchContext } from './clouds-files'
import { readCloudsYamlText, readDefaultCloudsYaml, readEnvironment } from './import-sources'

let root: string
let dirs: { cwd: string; home: string; user: string; site: string }

function ctx(env: Env = {}): SearchContext {
  return { env: { XDG_CONFIG_DIRS: path.join(root, 'site'), ...env }, platform: 'linux', homeDir: dirs.home, cwd: dirs.cwd }
}

function put(dir: string, name: string, text: string): string {
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, name)
  fs.writeFileSync(file, text)
  return file
}

const cloud = (name: string, user: string, extra = ''): string =>
  `  ${name}:\n    auth:\n      auth_url: https://${name}.example.test:5000/v3\n      username: ${user}\n      project_name: demo\n${extra}`

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-import-'))
  dirs = {
    cwd: path.join(root, 'cwd'),
    home: path.join(root, 'home'),
    user: path.join(root, 'home', '.config', 'openstack'),
    site: path.join(root, 'site', 'openstack'),
  }
  fs.mkdirSync(dirs.cwd, { recursive: true })
})
afterEach(() => fs.rmSync(root, { recursive: true, force: true }))

describe('clouds-yaml-default', () => {
  it('takes the first clouds.yaml found (cwd before ~/.config/openstack) and never merges the others', async () => {
    const first = put(dirs.cwd, 'clouds.yaml', `clouds:\n${cloud('near', 'alice')}`)
    put(dirs.user, 'clouds.yaml', `clouds:\n${cloud('far', 'bob')}`)
    const set = await readDefaultCloudsYaml(ctx())
    expect(set.candidates.map((c) => c.fields.name)).toEqual(['near'])
    expect(set.sources).toEqual([first])
  })

  it('prefers clouds.yaml to clouds.yml to clouds.json in one directory', async () => {
    put(dirs.user, 'clouds.json', JSON.stringify({ clouds: { json: {} } }))
    put(dirs.user, 'clouds.yml', `clouds:\n${cloud('yml', 'u')}`)
    let set = await readDefaultCloudsYaml(ctx())
    expect(set.candidates.map((c) => c.fields.name)).toEqual(['yml'])
    put(dirs.user, 'clouds.yaml', `clouds:\n${cloud('yaml', 'u')}`)
    set = await readDefaultCloudsYaml(ctx())
    expect(set.candidates.map((c) => c.fields.name)).toEqual(['yaml'])
  })

  it('skips a clouds.yaml that does not parse and goes on down the list', async () => {
    put(dirs.cwd, 'clouds.yaml', 'clouds: [broken')
    put(dirs.site, 'clouds.yaml', `clouds:\n${cloud('site', 'u')}`)
    const set = await readDefaultCloudsYaml(ctx())
    expect(set.candidates.map((c) => c.fields.name)).toEqual(['site'])
    expect(set.skipped.map((s) => s.reason).join(' ')).toContain('could not be parsed')
  })

  it('merges the first secure.yaml found over clouds.yaml, wherever each was found; its values win', async () => {
    put(dirs.user, 'clouds.yaml', `clouds:\n${cloud('prod', 'alice', '    region_name: Old\n')}`)
    const secure = put(dirs.site, 'secure.yaml', 'clouds:\n  prod:\n    auth:\n      password: from-secure\n    region_name: New\n')
    put(dirs.cwd, 'secure.yml', 'clouds: [broken')
    const set = await readDefaultCloudsYaml(ctx())
    const prod = set.candidates[0]!
    expect(prod.secret).toBe('from-secure')
    expect(prod.fields).toMatchObject({ user: 'alice', region: 'New' })
    expect(set.sources).toContain(secure)
  })

  it('reads OS_CLIENT_CONFIG_FILE before everything else', async () => {
    put(dirs.cwd, 'clouds.yaml', `clouds:\n${cloud('cwd', 'u')}`)
    const chosen = put(path.join(root, 'other'), 'mine.yaml', `clouds:\n${cloud('chosen', 'u')}`)
    const set = await readDefaultCloudsYaml(ctx({ OS_CLIENT_CONFIG_FILE: chosen }))
    expect(set.candidates.map((c) => c.fields.name)).toEqual(['chosen'])
  })

  it('lists every cloud of the file and marks the one OS_CLOUD selects', async () => {
    put(dirs.cwd, 'clouds.yaml', `clouds:\n${cloud('a', 'u')}${cloud('b', 'u')}  token:\n    auth_type: token\n    auth:\n      auth_url: https://t.example.test\n`)
    const set = await readDefaultCloudsYaml(ctx({ OS_CLOUD: 'b' }))
    expect(set.candidates.map((c) => c.fields.name)).toEqual(['a', 'b'])
    expect(set.candidates[1]!.notes[0]).toBe('OS_CLOUD selects this cloud.')
    expect(set.candidates[0]!.notes).not.toContain('OS_CLOUD selects this cloud.')
    expect(set.skipped).toEqual([expect.objectContaining({ name: 'token' })])
  })

  it('says where it looked when there is no clouds.yaml', async () => {
    const set = await readDefaultCloudsYaml(ctx())
    expect(set.candidates).toEqual([])
    expect(set.skipped[0]?.reason).toContain(dirs.cwd)
  })
})

describe('clouds-yaml-text', () => {
  it('merges the chosen secure.yaml over the chosen clouds.yaml', () => {
    const set = readCloudsYamlText(`clouds:\n${cloud('picked', 'alice')}`, 'clouds:\n  picked:\n    auth:\n      password: pw\n')
    expect(set.candidates[0]?.secret).toBe('pw')
    expect(set.sources).toEqual(['the chosen clouds.yaml', 'the chosen secure.yaml'])
  })

  it('refuses text that is not YAML with the line, never quoting the file', () => {
    let err: unknown
    try {
      readCloudsYamlText('clouds:\n  a:\n    password: "hunter2\n  [', undefined)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(PortholeError)
    expect((err as PortholeError).code).toBe('INVALID_INPUT')
    expect((err as PortholeError).message).not.toContain('hunter2')
  })

  it('says so when the file has no clouds', () => {
    expect(readCloudsYamlText('other: 1', undefined).skipped[0]?.reason).toContain('no "clouds"')
  })
})

describe('environment', () => {
  const osVars = {
    OS_AUTH_URL: 'https://env.example.test:5000/v3',
    OS_USERNAME: 'envuser',
    OS_PASSWORD: 'env-secret',
    OS_PROJECT_NAME: 'envproj',
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_REGION_NAME: 'RegionTwo',
  }

  it('makes a cloud named envvars from OS_* variables', async () => {
    const set = await readEnvironment(ctx(osVars))
    expect(set.candidates).toHaveLength(1)
    const c = set.candidates[0]!
    expect(c.fields).toMatchObject({
      kind: 'openstack',
      name: 'envvars',
      endpoint: 'https://env.example.test:5000/v3',
      user: 'envuser',
      projectName: 'envproj',
      region: 'RegionTwo',
    })
    expect(c.secret).toBe('env-secret')
    expect(set.sources.join(' ')).toContain('OS_AUTH_URL')
    expect(set.sources.join(' ')).not.toContain('env-secret')
  })

  it('takes its name from OS_CLOUD_NAME and ignores OS_TEST*, OS_STD* and OS_LOG*', async () => {
    const set = await readEnvironment(ctx({ ...osVars, OS_CLOUD_NAME: 'shell', OS_TEST_PATH: 'x', OS_STDOUT_CAPTURE: '1', OS_LOG_CAPTURE: '1' }))
    expect(set.candidates[0]?.fields.name).toBe('shell')
    expect(set.sources.join(' ')).not.toContain('OS_TEST_PATH')
  })

  it('makes no cloud from selectors alone', async () => {
    const set = await readEnvironment(ctx({ OS_REGION_NAME: 'R', OS_CLOUD_NAME: 'x', OS_TEST_FOO: '1' }))
    expect(set).toEqual({ candidates: [], skipped: [], sources: [] })
  })

  it('imports the clouds.yaml cloud OS_CLOUD selects, only that one, with OS_REGION_NAME applied', async () => {
    put(dirs.user, 'clouds.yaml', `clouds:\n${cloud('prod', 'alice', '    region_name: One\n')}${cloud('dev', 'bob')}`)
    put(dirs.user, 'secure.yaml', 'clouds:\n  prod:\n    auth:\n      password: prod-pw\n')
    const set = await readEnvironment(ctx({ OS_CLOUD: 'prod', OS_REGION_NAME: 'Two' }))
    expect(set.candidates.map((c) => c.fields.name)).toEqual(['prod'])
    expect(set.candidates[0]!.fields).toMatchObject({ region: 'Two', user: 'alice' })
    expect(set.candidates[0]!.secret).toBe('prod-pw')
    expect(set.candidates[0]!.notes.join(' ')).toMatch(/OS_CLOUD selects.*OS_REGION_NAME/)
  })

  it('OS_CLOUD=envvars selects the OS_* cloud over the files', async () => {
    put(dirs.user, 'clouds.yaml', `clouds:\n${cloud('prod', 'alice')}`)
    const set = await readEnvironment(ctx({ ...osVars, OS_CLOUD: 'envvars' }))
    expect(set.candidates.map((c) => c.fields.name)).toEqual(['envvars'])
  })

  it('says so when OS_CLOUD names a cloud no file defines', async () => {
    put(dirs.user, 'clouds.yaml', `clouds:\n${cloud('prod', 'alice')}`)
    const set = await readEnvironment(ctx({ OS_CLOUD: 'nope' }))
    expect(set.candidates).toEqual([])
    expect(set.skipped).toEqual([{ name: 'nope', reason: expect.stringContaining('OS_CLOUD names "nope"') }])
  })

  it('leaves the OS_* cloud out when clouds.yaml has a cloud of the same name, as openstacksdk refuses that', async () => {
    put(dirs.user, 'clouds.yaml', `clouds:\n${cloud('envvars', 'file')}${cloud('prod', 'alice')}`)
    const set = await readEnvironment(ctx({ ...osVars, OS_CLOUD: 'prod' }))
    expect(set.candidates.map((c) => c.fields.name)).toEqual(['prod'])
    expect(set.skipped[0]?.reason).toContain('also defines a cloud named "envvars"')
  })

  it('adds the GOVC_* vSphere profile beside the OpenStack one', async () => {
    const set = await readEnvironment(ctx({ ...osVars, GOVC_URL: 'root:vmware@vc.example.test', GOVC_INSECURE: '1' }))
    expect(set.candidates.map((c) => c.fields.kind)).toEqual(['vsphere', 'openstack'])
  })
})
