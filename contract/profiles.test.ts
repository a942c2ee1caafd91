import { describe, expect, it } from 'vitest'
import {
  ProfileExportInput,
  ProfileFields,
  ProfileImportApplyInput,
  ProfileImportSource,
  ProfileInput,
  ProfilePatch,
  ProfileSummary,
  profileCalls,
} from './profiles'

const vsphere = {
  kind: 'vsphere',
  name: 'Lab vCenter',
  endpoint: 'https://vc.example.test',
  user: 'administrator@vsphere.local',
  trust: { mode: 'system' },
  secret: 'pw',
} as const

const openstack = {
  kind: 'openstack',
  name: 'Cloud',
  endpoint: 'https://keystone.example.test:5000/v3',
  user: 'alice',
  trust: { mode: 'pinned' },
  authType: 'password',
  projectName: 'demo',
  userDomainName: 'Default',
  projectDomainName: 'Default',
  region: 'RegionOne',
  secret: 'pw',
} as const

const zstack = { ...vsphere, kind: 'zstack', name: 'ZStack', endpoint: 'http://zs.example.test:8080' } as const
const vnc = { kind: 'vnc', name: 'Bench VNC', host: '127.0.0.1', port: 5901 } as const

const meta = {
  id: '7d0b7c5e-3c1e-4a59-9f3c-2b1d1f6e8a10',
  hasSecret: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
}

function withoutSecret<T extends { secret?: string | undefined }>(p: T): Omit<T, 'secret'> {
  const { secret: _secret, ...rest } = p
  return rest
}

describe('ProfileInput', () => {
  it('accepts one valid profile of every kind', () => {
    for (const p of [vsphere, openstack, zstack, vnc, { ...vnc, secret: 'vncpw' }]) {
      expect(ProfileInput.safeParse(p).success, p.kind).toBe(true)
    }
  })

  it('fills the OpenStack interface with public', () => {
    const parsed = ProfileInput.parse(openstack)
    expect(parsed.kind === 'openstack' && parsed.interface).toBe('public')
  })

  it('requires the secret for the API providers and not for VNC', () => {
    expect(ProfileInput.safeParse(withoutSecret(vsphere)).success).toBe(false)
    expect(ProfileInput.safeParse(withoutSecret(openstack)).success).toBe(false)
    expect(ProfileInput.safeParse(withoutSecret(zstack)).success).toBe(false)
    expect(ProfileInput.safeParse(vnc).success).toBe(true)
    expect(ProfileInput.safeParse({ ...vsphere, secret: '' }).success).toBe(false)
  })

  it('keeps spaces in a secret and trims names', () => {
    const parsed = ProfileInput.parse({ ...vsphere, name: '  Lab  ', secret: ' p w ' })
    expect(parsed.name).toBe('Lab')
    expect(parsed.kind !== 'vnc' && parsed.secret).toBe(' p w ')
  })

  it('bounds the name to 1..120 characters', () => {
    expect(ProfileInput.safeParse({ ...vsphere, name: '' }).success).toBe(false)
    expect(ProfileInput.safeParse({ ...vsphere, name: '   ' }).success).toBe(false)
    expect(ProfileInput.safeParse({ ...vsphere, name: 'x'.repeat(120) }).success).toBe(true)
    expect(ProfileInput.safeParse({ ...vsphere, name: 'x'.repeat(121) }).success).toBe(false)
  })

  it('takes only http and https endpoints, never with credentials in them', () => {
    for (const endpoint of ['ftp://vc.example.test', 'vc.example.test', 'javascript:alert(1)', 'file:///etc/passwd', 'wss://vc']) {
      expect(ProfileInput.safeParse({ ...vsphere, endpoint }).success, endpoint).toBe(false)
    }
    expect(ProfileInput.safeParse({ ...vsphere, endpoint: 'https://root:pw@vc.example.test' }).success).toBe(false)
    expect(ProfileInput.safeParse({ ...vsphere, endpoint: 'https://root@vc.example.test' }).success).toBe(false)
    expect(ProfileInput.safeParse({ ...vsphere, endpoint: 'http://10.0.0.5:8443/' }).success).toBe(true)
  })

  it('checks every trust mode and refuses an unknown one', () => {
    expect(ProfileInput.safeParse({ ...vsphere, trust: { mode: 'ca-file', caFile: '/etc/ca.pem' } }).success).toBe(true)
    expect(ProfileInput.safeParse({ ...vsphere, trust: { mode: 'ca-file' } }).success).toBe(false)
    expect(ProfileInput.safeParse({ ...vsphere, trust: { mode: 'insecure' } }).success).toBe(false)
    expect(ProfileInput.safeParse({ ...vsphere, trust: undefined }).success).toBe(false)
  })

  it('refuses unknown keys, a user on VNC and a trust policy on VNC', () => {
    expect(ProfileInput.safeParse({ ...vsphere, extra: 1 }).success).toBe(false)
    expect(ProfileInput.safeParse({ ...vnc, user: 'x' }).success).toBe(false)
    expect(ProfileInput.safeParse({ ...vnc, trust: { mode: 'system' } }).success).toBe(false)
    expect(ProfileInput.safeParse({ ...vsphere, kind: 'hyperv' }).success).toBe(false)
  })

  it('checks VNC hosts and ports', () => {
    for (const host of ['vnc.example.test', '10.1.2.3', '::1', 'fe80::1', 'localhost']) {
      expect(ProfileInput.safeParse({ ...vnc, host }).success, host).toBe(true)
    }
    for (const host of ['', 'bad host', 'a..b', '-a.example', 'host:5900', '[::1]', 'a/b']) {
      expect(ProfileInput.safeParse({ ...vnc, host }).success, host).toBe(false)
    }
    for (const port of [0, 65536, 1.5, -1]) expect(ProfileInput.safeParse({ ...vnc, port }).success, String(port)).toBe(false)
    expect(ProfileInput.safeParse({ ...vnc, port: 65535 }).success).toBe(true)
  })

  it('asks OpenStack password logins for a user and a project', () => {
    const { user: _u, ...noUser } = openstack
    expect(ProfileInput.safeParse(noUser).success).toBe(false)
    const { projectName: _p, ...noProject } = openstack
    expect(ProfileInput.safeParse(noProject).success).toBe(false)
    expect(ProfileInput.safeParse({ ...noProject, projectId: 'a694' }).success).toBe(true)
  })

  it('takes an application credential by id without a user, by name only with one', () => {
    const base = { kind: 'openstack', name: 'AC', endpoint: 'https://k.example.test/v3', trust: { mode: 'system' }, authType: 'application-credential', secret: 's' }
    expect(ProfileInput.safeParse({ ...base, applicationCredentialId: '423f' }).success).toBe(true)
    expect(ProfileInput.safeParse({ ...base, applicationCredentialName: 'monitoring' }).success).toBe(false)
    expect(ProfileInput.safeParse({ ...base, applicationCredentialName: 'monitoring', user: 'alice' }).success).toBe(true)
    expect(ProfileInput.safeParse(base).success).toBe(false)
  })

  it('refuses an interface other than public, internal and admin', () => {
    expect(ProfileInput.safeParse({ ...openstack, interface: 'internal' }).success).toBe(true)
    expect(ProfileInput.safeParse({ ...openstack, interface: 'publicURL' }).success).toBe(false)
  })
})

describe('ProfilePatch', () => {
  it('needs the kind and takes any subset of that kind', () => {
    expect(ProfilePatch.safeParse({ kind: 'vsphere' }).success).toBe(true)
    expect(ProfilePatch.safeParse({ kind: 'vsphere', name: 'New' }).success).toBe(true)
    expect(ProfilePatch.safeParse({ name: 'New' }).success).toBe(false)
    expect(ProfilePatch.safeParse({ kind: 'vnc', endpoint: 'https://x.example.test' }).success).toBe(false)
  })

  it('takes null to clear optional OpenStack fields and nothing else', () => {
    expect(ProfilePatch.safeParse({ kind: 'openstack', region: null }).success).toBe(true)
    expect(ProfilePatch.safeParse({ kind: 'openstack', name: null }).success).toBe(false)
    expect(ProfilePatch.safeParse({ kind: 'vsphere', user: null }).success).toBe(false)
  })

  it('takes a new secret or clearSecret, never both, never an empty secret', () => {
    expect(ProfilePatch.safeParse({ kind: 'vsphere', secret: 'new' }).success).toBe(true)
    expect(ProfilePatch.safeParse({ kind: 'vsphere', clearSecret: true }).success).toBe(true)
    expect(ProfilePatch.safeParse({ kind: 'vsphere', secret: 'new', clearSecret: true }).success).toBe(false)
    expect(ProfilePatch.safeParse({ kind: 'vsphere', secret: '' }).success).toBe(false)
    expect(ProfilePatch.safeParse({ kind: 'vsphere', clearSecret: false }).success).toBe(false)
  })
})

describe('ProfileSummary and ProfileFields', () => {
  it('describe every kind without a secret', () => {
    for (const p of [vsphere, openstack, zstack, vnc]) {
      const fields = withoutSecret(ProfileInput.parse(p))
      expect(ProfileFields.safeParse(fields).success, p.kind).toBe(true)
      expect(ProfileSummary.safeParse({ ...fields, ...meta }).success, p.kind).toBe(true)
    }
  })

  it('cannot carry a secret: the reply check would refuse it', () => {
    for (const p of [vsphere, openstack, zstack]) {
      const parsed = ProfileInput.parse(p)
      expect(ProfileSummary.safeParse({ ...parsed, ...meta }).success, p.kind).toBe(false)
      expect(ProfileFields.safeParse(parsed).success, p.kind).toBe(false)
    }
  })
})

describe('import and export inputs', () => {
  it('know the four sources', () => {
    expect(ProfileImportSource.safeParse({ source: 'clouds-yaml-default' }).success).toBe(true)
    expect(ProfileImportSource.safeParse({ source: 'environment' }).success).toBe(true)
    expect(ProfileImportSource.safeParse({ source: 'clouds-yaml-text', text: 'clouds: {}' }).success).toBe(true)
    expect(ProfileImportSource.safeParse({ source: 'clouds-yaml-text', text: 'c', secureText: 's' }).success).toBe(true)
    expect(ProfileImportSource.safeParse({ source: 'clouds-yaml-text' }).success).toBe(false)
    expect(ProfileImportSource.safeParse({ source: 'porthole-export', content: '{}', password: 'x' }).success).toBe(true)
    expect(ProfileImportSource.safeParse({ source: 'porthole-export', content: '{}' }).success).toBe(false)
    expect(ProfileImportSource.safeParse({ source: 'file', path: '/etc/shadow' }).success).toBe(false)
    expect(ProfileImportSource.safeParse({ source: 'clouds-yaml-text', text: 'x'.repeat(400_001) }).success).toBe(false)
  })

  it('take only skip, add and replace as decisions', () => {
    const previewId = '7d0b7c5e-3c1e-4a59-9f3c-2b1d1f6e8a10'
    expect(ProfileImportApplyInput.safeParse({ previewId, decisions: { 'item-1': 'skip', 'item-2': 'replace' } }).success).toBe(true)
    expect(ProfileImportApplyInput.safeParse({ previewId, decisions: { 'item-1': 'overwrite' } }).success).toBe(false)
    expect(ProfileImportApplyInput.safeParse({ previewId: 'nope', decisions: {} }).success).toBe(false)
  })

  it('export needs at least one id and a password of 8 or more', () => {
    const ids = [meta.id]
    expect(ProfileExportInput.safeParse({ ids, password: '12345678' }).success).toBe(true)
    expect(ProfileExportInput.safeParse({ ids, password: '1234567' }).success).toBe(false)
    expect(ProfileExportInput.safeParse({ ids: [], password: '12345678' }).success).toBe(false)
    expect(ProfileExportInput.safeParse({ ids: ['x'], password: '12345678' }).success).toBe(false)
  })

  it('the call list is the one documented', () => {
    expect(Object.keys(profileCalls).sort()).toEqual([
      'profiles.add',
      'profiles.delete',
      'profiles.duplicate',
      'profiles.export',
      'profiles.get',
      'profiles.importApply',
      'profiles.importPreview',
      'profiles.list',
      'profiles.test',
      'profiles.update',
    ])
  })
})
