import { describe, expect, it } from 'vitest'
import { cloudToCandidate } from './openstack-cloud'

function ok(name: string, raw: unknown) {
  const result = cloudToCandidate(name, raw)
  if (!result.ok) throw new Error(`expected ${name} to convert: ${result.reason}`)
  return result.candidate
}

function reason(name: string, raw: unknown): string {
  const result = cloudToCandidate(name, raw)
  if (result.ok) throw new Error(`expected ${name} to be skipped`)
  return result.reason
}

const AUTH_URL = 'https://keystone.example.test:5000/v3'

describe('cloudToCandidate', () => {
  it('converts the reference password cloud', () => {
    const c = ok('mycloud', {
      auth: {
        auth_url: AUTH_URL,
        username: 'alice',
        password: 's3cret',
        project_name: 'demo',
        user_domain_name: 'Default',
        project_domain_name: 'Default',
      },
      region_name: 'RegionOne',
      interface: 'internal',
      identity_api_version: 3,
    })
    expect(c.fields).toEqual({
      kind: 'openstack',
      name: 'mycloud',
      endpoint: AUTH_URL,
      user: 'alice',
      trust: { mode: 'system' },
      authType: 'password',
      projectName: 'demo',
      userDomainName: 'Default',
      projectDomainName: 'Default',
      region: 'RegionOne',
      interface: 'internal',
    })
    expect(c.secret).toBe('s3cret')
    expect(c.notes).toEqual([])
  })

  it('converts an application credential cloud', () => {
    const c = ok('appcred', {
      auth_type: 'v3applicationcredential',
      auth: { auth_url: AUTH_URL, application_credential_id: '9da0', application_credential_secret: 'pKfD' },
      region_name: 'RegionOne',
    })
    expect(c.fields).toMatchObject({ authType: 'application-credential', applicationCredentialId: '9da0' })
    expect(c.fields).not.toHaveProperty('user')
    expect(c.secret).toBe('pKfD')
  })

  it('lets a top-level key win over the same key in auth, and reads hyphenated and tenant spellings', () => {
    const c = ok('c', {
      username: 'top',
      'tenant-name': 'legacy',
      auth: { auth_url: AUTH_URL, username: 'inner', password: 'p' },
    })
    expect(c.fields).toMatchObject({ user: 'top', projectName: 'legacy' })
  })

  it('fills both domains from domain_name when the cloud is project-scoped', () => {
    const c = ok('c', { auth: { auth_url: AUTH_URL, username: 'u', password: 'p', project_id: 'a694', domain_name: 'Corp' } })
    expect(c.fields).toMatchObject({ userDomainName: 'Corp', projectDomainName: 'Corp', projectId: 'a694' })
    const own = ok('d', {
      auth: { auth_url: AUTH_URL, username: 'u', password: 'p', project_name: 'x', domain_id: 'default', user_domain_name: 'Users' },
    })
    expect(own.fields).toMatchObject({ userDomainName: 'Users', projectDomainId: 'default' })
    expect(own.fields).not.toHaveProperty('userDomainId')
  })

  it('reads numbers in YAML as text', () => {
    const c = ok('c', { auth: { auth_url: AUTH_URL, username: 'u', password: 1234, project_id: 42 } })
    expect(c.fields).toMatchObject({ projectId: '42' })
    expect(c.secret).toBe('1234')
  })

  it('maps verify: false and insecure: true to a pinned certificate, with a note, never to "ignore errors"', () => {
    for (const setting of [{ verify: false }, { insecure: true }, { verify: 'False', cacert: '/etc/ca.pem' }]) {
      const c = ok('c', { ...setting, auth: { auth_url: AUTH_URL, username: 'u', password: 'p', project_name: 'x' } })
      expect(c.fields.kind === 'openstack' && c.fields.trust).toEqual({ mode: 'pinned' })
      expect(c.notes.join(' ')).toMatch(/never ignores certificate errors.*fingerprint/)
    }
  })

  it('uses an absolute cacert as the CA file and explains a relative one', () => {
    const abs = ok('c', { cacert: '/etc/ssl/private-ca.pem', auth: { auth_url: AUTH_URL, username: 'u', password: 'p', project_name: 'x' } })
    expect(abs.fields.kind === 'openstack' && abs.fields.trust).toEqual({ mode: 'ca-file', caFile: '/etc/ssl/private-ca.pem' })
    const win = ok('w', { cacert: 'C:\\certs\\ca.pem', auth: { auth_url: AUTH_URL, username: 'u', password: 'p', project_name: 'x' } })
    expect(win.fields.kind === 'openstack' && win.fields.trust.mode).toBe('ca-file')
    const rel = ok('r', { cacert: 'ca.pem', auth: { auth_url: AUTH_URL, username: 'u', password: 'p', project_name: 'x' } })
    expect(rel.fields.kind === 'openstack' && rel.fields.trust).toEqual({ mode: 'system' })
    expect(rel.notes.join(' ')).toContain('relative path')
  })

  it('reads publicURL-style interfaces and the first of several regions', () => {
    const c = ok('c', {
      interface: 'adminURL',
      regions: ['R1', { name: 'R2' }],
      auth: { auth_url: AUTH_URL, username: 'u', password: 'p', project_name: 'x' },
    })
    expect(c.fields).toMatchObject({ interface: 'admin', region: 'R1' })
    expect(c.notes.join(' ')).toContain('R1, R2')
  })

  it('notes what it cannot carry: no password, client certificates, Keystone v2', () => {
    const c = ok('c', {
      cert: '/c.pem',
      key: '/k.pem',
      identity_api_version: '2.0',
      auth: { auth_url: AUTH_URL, username: 'u', project_name: 'x' },
    })
    expect(c.secret).toBeUndefined()
    const notes = c.notes.join('\n')
    expect(notes).toContain('No password')
    expect(notes).toContain('Client certificates')
    expect(notes).toContain('Keystone v3 only')
  })

  it('skips what Porthole cannot log in with, saying why', () => {
    expect(reason('t', { auth_type: 'token', auth: { auth_url: AUTH_URL, token: 'x' } })).toContain('"token" is not supported')
    expect(reason('n', { auth: { username: 'u' } })).toContain('no auth_url')
    expect(reason('s', 'just a string')).toContain('not a mapping')
    expect(reason('p', { auth: { auth_url: AUTH_URL, username: 'u', password: 'p' } })).toContain('project')
    expect(reason('f', { auth: { auth_url: 'ftp://keystone', username: 'u', password: 'p', project_name: 'x' } })).toContain('auth_url')
  })

  it('never repeats a URL that carries a password', () => {
    const r = reason('x', { auth: { auth_url: 'https://admin:hunter2@keystone/v3', username: 'u', password: 'p', project_name: 'x' } })
    expect(r).not.toContain('hunter2')
  })

  it('ignores a __proto__ key instead of polluting anything', () => {
    const raw = JSON.parse('{"__proto__": {"polluted": true}, "auth": {"auth_url": "https://k.example.test/v3", "username": "u", "password": "p", "project_name": "x"}}')
    const c = ok('c', raw)
    expect(c.fields.name).toBe('c')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
