// Import and export end to end: fixture clouds.yaml / secure.yaml in temp dirs, GOVC_* and
// OS_* variables, and an encrypted export file, through the real host and WebSocket
// transport. Secrets found by an import stay in main: the preview shows only hasSecret.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProfileImportPreview, ProfileSummary } from '../../contract/profiles'
import { canaryLeaks } from '../../main/services/profiles/canary'
import { startProfilesHarness, type ProfilesHarness } from './profiles-harness'

const SECURE_PW = 'CANARY-secure-yaml-3e7d-password'
const GOVC_PW = 'CANARY-govc-url-8a11-password'
const OS_PW = 'CANARY-os-env-c0de-password'
const EXPORT_PW = 'export passphrase 1'
const SECRETS = [SECURE_PW, GOVC_PW, OS_PW]

const CLOUDS_YAML = `
clouds:
  prod:
    auth:
      auth_url: https://keystone.prod.example.test:5000/v3
      username: alice
      project_name: ops
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
  dev:
    auth:
      auth_url: https://keystone.dev.example.test:5000/v3
      username: bob
      password: dev-password-in-clouds-yaml
      project_id: 0a1b2c
    verify: false
`

const SECURE_YAML = `
clouds:
  prod:
    auth:
      password: ${SECURE_PW}
`

let h: ProfilesHarness
let existingProd: ProfileSummary

function itemNamed(preview: ProfileImportPreview, name: string) {
  const item = preview.items.find((i) => i.profile.name === name)
  if (!item) throw new Error(`no item named ${name} in ${preview.items.map((i) => i.profile.name).join(', ')}`)
  return item
}

beforeAll(async () => {
  h = await startProfilesHarness({
    GOVC_URL: `root:${GOVC_PW}@vc.lab.example.test`,
    GOVC_INSECURE: '1',
    OS_AUTH_URL: 'https://keystone.env.example.test:5000/v3',
    OS_USERNAME: 'envuser',
    OS_PASSWORD: OS_PW,
    OS_PROJECT_NAME: 'envproj',
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
  })
  // clouds.yaml in the working directory (first on the search path), secure.yaml in ~/.config/openstack.
  fs.writeFileSync(path.join(h.cwd, 'clouds.yaml'), CLOUDS_YAML)
  fs.mkdirSync(path.join(h.home, '.config', 'openstack'), { recursive: true })
  fs.writeFileSync(path.join(h.home, '.config', 'openstack', 'secure.yaml'), SECURE_YAML)
  // A lower-priority clouds.yaml that must not be read at all.
  fs.writeFileSync(path.join(h.home, '.config', 'openstack', 'clouds.yaml'), 'clouds:\n  shadowed: {auth: {auth_url: "https://x.example.test"}}\n')

  existingProd = await h.call('profiles.add', {
    kind: 'openstack',
    name: 'prod',
    endpoint: 'https://keystone.prod.example.test:5000/v3',
    user: 'alice',
    trust: { mode: 'system' },
    authType: 'password',
    projectName: 'ops',
    secret: 'existing-prod-secret',
  })
})
afterAll(async () => {
  await h?.close()
})

describe('clouds.yaml from the search path', () => {
  let preview: ProfileImportPreview

  it('previews the first clouds.yaml with secure.yaml merged on top, and shows conflicts', async () => {
    preview = await h.call('profiles.importPreview', { source: 'clouds-yaml-default' })
    expect(preview.items.map((i) => i.profile.name)).toEqual(['prod', 'dev'])
    // Under the home directory the preview shows ~/…, not the absolute path.
    expect(preview.sources).toEqual([path.join(h.cwd, 'clouds.yaml'), '~/.config/openstack/secure.yaml'])
    const prod = itemNamed(preview, 'prod')
    expect(prod).toMatchObject({ hasSecret: true, conflictWith: existingProd.id, conflictReason: 'same-name' })
    const dev = itemNamed(preview, 'dev')
    expect(dev.conflictWith).toBeUndefined()
    expect(dev.profile).toMatchObject({ trust: { mode: 'pinned' }, projectId: '0a1b2c' })
    expect(dev.notes.join(' ')).toContain('never ignores certificate errors')
  })

  it('applies nothing without a decision for every item', async () => {
    const err = await h.fail('profiles.importApply', { previewId: preview.previewId, decisions: { [itemNamed(preview, 'dev').key]: 'add' } })
    expect(err.code).toBe('INVALID_INPUT')
    expect((await h.call('profiles.list', {})).profiles).toHaveLength(1)
  })

  it('skips the conflicting item and adds the other when told so', async () => {
    const result = await h.call('profiles.importApply', {
      previewId: preview.previewId,
      decisions: { [itemNamed(preview, 'prod').key]: 'skip', [itemNamed(preview, 'dev').key]: 'add' },
    })
    expect(result.results.map((r) => r.outcome).sort()).toEqual(['added', 'skipped'])
    expect(h.host.profiles.service.profile(existingProd.id).secret).toBe('existing-prod-secret')
    const dev = h.host.profiles.service.profiles().find((p) => p.fields.name === 'dev')!
    expect(dev.secret).toBe('dev-password-in-clouds-yaml')
  })

  it('reads a clouds.yaml and secure.yaml the user picked', async () => {
    const picked = await h.call('profiles.importPreview', { source: 'clouds-yaml-text', text: CLOUDS_YAML, secureText: SECURE_YAML })
    expect(itemNamed(picked, 'prod').hasSecret).toBe(true)
    expect(itemNamed(picked, 'dev').conflictReason).toBe('same-name')
  })
})

describe('environment', () => {
  it('previews the GOVC_* vSphere profile (insecure → pinned, with a note) and the OS_* envvars cloud', async () => {
    const preview = await h.call('profiles.importPreview', { source: 'environment' })
    expect(preview.items.map((i) => [i.profile.kind, i.profile.name])).toEqual([
      ['vsphere', 'vc.lab.example.test'],
      ['openstack', 'envvars'],
    ])
    const govc = preview.items[0]!
    expect(govc).toMatchObject({ hasSecret: true, profile: { user: 'root', trust: { mode: 'pinned' }, endpoint: 'https://vc.lab.example.test' } })
    expect(govc.notes.join(' ')).toMatch(/GOVC_INSECURE.*never ignores certificate errors/)
    const result = await h.call('profiles.importApply', {
      previewId: preview.previewId,
      decisions: Object.fromEntries(preview.items.map((i) => [i.key, 'add'])),
    })
    expect(result.results.every((r) => r.outcome === 'added')).toBe(true)
    const govcSaved = h.host.profiles.service.profiles().find((p) => p.fields.kind === 'vsphere')!
    expect(govcSaved.secret).toBe(GOVC_PW)
  })
})

describe('export and import back', () => {
  let exported: { data: string }
  let exportedIds: string[]

  it('exports the chosen profiles to a file in which no secret appears in any encoding', async () => {
    const all = (await h.call('profiles.list', {})).profiles
    exportedIds = all.filter((p) => p.name === 'prod' || p.name === 'vc.lab.example.test').map((p) => p.id)
    const file = await h.call('profiles.export', { ids: exportedIds, password: EXPORT_PW })
    exported = file
    const bytes = Buffer.from(file.data, 'base64')
    expect(JSON.parse(bytes.toString('utf8'))).toMatchObject({ format: 'porthole-export', version: 1, kdf: { alg: 'argon2id' } })
    for (const secret of [GOVC_PW, 'existing-prod-secret']) {
      expect(canaryLeaks(bytes, secret), secret).toEqual([])
      expect(canaryLeaks(file.data, secret), secret).toEqual([])
    }
  })

  it('refuses the wrong password with AUTH_FAILED and a modified file with FILE_DAMAGED', async () => {
    const wrong = await h.fail('profiles.importPreview', { source: 'porthole-export', content: exported.data, password: 'not it at all' })
    expect(wrong.code).toBe('AUTH_FAILED')
    const envelope = JSON.parse(Buffer.from(exported.data, 'base64').toString('utf8'))
    const tag = Buffer.from(envelope.tag, 'base64')
    tag[0] = (tag[0] ?? 0) ^ 0xff
    envelope.tag = tag.toString('base64')
    const tampered = await h.fail('profiles.importPreview', { source: 'porthole-export', content: JSON.stringify(envelope), password: EXPORT_PW })
    expect(tampered.code).toBe('FILE_DAMAGED')
    expect(tampered.message).toContain('modified or damaged')
  })

  it('imports it back: conflicts shown, replace keeps the id, add keeps both, and the secrets round-trip', async () => {
    const before = h.host.profiles.service.profiles()
    // Change the saved prod so that replacing it is visible.
    await h.call('profiles.update', { id: existingProd.id, patch: { kind: 'openstack', region: 'Changed', secret: 'changed-secret' } })
    const preview = await h.call('profiles.importPreview', { source: 'porthole-export', content: exported.data, password: EXPORT_PW })
    expect(preview.items.map((i) => [i.profile.name, i.conflictReason, i.hasSecret])).toEqual([
      ['prod', 'same-name', true],
      ['vc.lab.example.test', 'same-name', true],
    ])
    const result = await h.call('profiles.importApply', {
      previewId: preview.previewId,
      decisions: { [itemNamed(preview, 'prod').key]: 'replace', [itemNamed(preview, 'vc.lab.example.test').key]: 'add' },
    })
    expect(result.results.find((r) => r.outcome === 'replaced')?.id).toBe(existingProd.id)
    expect(result.results.find((r) => r.outcome === 'added')?.name).toBe('vc.lab.example.test (2)')

    const prod = h.host.profiles.service.profile(existingProd.id)
    expect(prod.fields).toEqual(before.find((p) => p.id === existingProd.id)!.fields)
    expect(prod.secret).toBe('existing-prod-secret')
    const copy = h.host.profiles.service.profiles().find((p) => p.fields.name === 'vc.lab.example.test (2)')!
    expect(copy.secret).toBe(GOVC_PW)
  })

  it('a preview is used up once applied', async () => {
    const preview = await h.call('profiles.importPreview', { source: 'porthole-export', content: exported.data, password: EXPORT_PW })
    const decisions = Object.fromEntries(preview.items.map((i) => [i.key, 'skip' as const]))
    await h.call('profiles.importApply', { previewId: preview.previewId, decisions })
    expect((await h.fail('profiles.importApply', { previewId: preview.previewId, decisions })).code).toBe('NOT_FOUND')
  })
})

describe('secrets found by imports', () => {
  it('never reached the renderer or the log, in any encoding', () => {
    const wire = h.frames.join('\n')
    const logs = h.log.lines.join('\n')
    for (const secret of SECRETS) {
      expect(canaryLeaks(wire, secret), `wire: ${secret}`).toEqual([])
      expect(canaryLeaks(logs, secret), `log: ${secret}`).toEqual([])
    }
    expect(wire).not.toContain('dev-password-in-clouds-yaml')
    expect(wire).not.toContain('existing-prod-secret')
  })

  it('are in the vault file only encrypted', async () => {
    await h.host.vault.flush()
    const disk = h.dataBytes()
    for (const secret of SECRETS) expect(canaryLeaks(disk, secret), secret).toEqual([])
  })
})
