import { describe, expect, it } from 'vitest'
import { govcCandidates } from './govc-environment'

function only(env: Record<string, string>, platform: NodeJS.Platform = 'linux') {
  const set = govcCandidates(env, platform)
  expect(set.skipped).toEqual([])
  expect(set.candidates).toHaveLength(1)
  return set.candidates[0]!
}

describe('govcCandidates', () => {
  it('finds nothing without GOVC_URL', () => {
    expect(govcCandidates({ GOVC_USERNAME: 'u', GOVC_PASSWORD: 'p' }, 'linux')).toEqual({ candidates: [], skipped: [], sources: [] })
  })

  it('reads user and password embedded in the URL, percent-decoded, and drops them from the endpoint', () => {
    const c = only({ GOVC_URL: 'https://administrator%40vsphere.local:p%40ss%3Aw0rd@vc.example.test/sdk' })
    expect(c.fields).toEqual({
      kind: 'vsphere',
      name: 'vc.example.test',
      endpoint: 'https://vc.example.test',
      user: 'administrator@vsphere.local',
      trust: { mode: 'system' },
    })
    expect(c.secret).toBe('p@ss:w0rd')
    expect(c.notes).toEqual([])
  })

  it('adds https:// when the URL has no scheme, as govc does, and keeps a port', () => {
    const c = only({ GOVC_URL: 'root:vmware@10.0.0.5:8443' })
    expect(c.fields).toMatchObject({ endpoint: 'https://10.0.0.5:8443', user: 'root', name: '10.0.0.5' })
    expect(c.secret).toBe('vmware')
  })

  it('lets GOVC_USERNAME and GOVC_PASSWORD override what the URL carries, and says so', () => {
    const c = only({ GOVC_URL: 'https://a:b@vc.example.test', GOVC_USERNAME: 'admin', GOVC_PASSWORD: 'real' })
    expect(c.fields).toMatchObject({ user: 'admin' })
    expect(c.secret).toBe('real')
    expect(c.notes.join(' ')).toMatch(/GOVC_USERNAME overrides.*GOVC_PASSWORD overrides/)
  })

  it('maps GOVC_INSECURE=1 (and true, T…) to a pinned certificate with a trust-on-first-use note', () => {
    for (const value of ['1', 'true', 'TRUE', 't', 'True']) {
      const c = only({ GOVC_URL: 'vc.example.test', GOVC_USERNAME: 'u', GOVC_INSECURE: value })
      expect(c.fields.kind === 'vsphere' && c.fields.trust).toEqual({ mode: 'pinned' })
      expect(c.notes.join(' ')).toMatch(/never ignores certificate errors.*fingerprint/)
    }
    for (const value of ['0', 'false', 'F']) {
      const c = only({ GOVC_URL: 'vc.example.test', GOVC_USERNAME: 'u', GOVC_INSECURE: value })
      expect(c.fields.kind === 'vsphere' && c.fields.trust).toEqual({ mode: 'system' })
    }
    const odd = only({ GOVC_URL: 'vc.example.test', GOVC_USERNAME: 'u', GOVC_INSECURE: 'yes please' })
    expect(odd.fields.kind === 'vsphere' && odd.fields.trust).toEqual({ mode: 'system' })
    expect(odd.notes.join(' ')).toContain('not a boolean')
  })

  it('uses GOVC_TLS_CA_CERTS as the CA file (the first, on the platform list separator)', () => {
    const c = only({ GOVC_URL: 'vc.example.test', GOVC_USERNAME: 'u', GOVC_TLS_CA_CERTS: '/etc/a.pem:/etc/b.pem' })
    expect(c.fields.kind === 'vsphere' && c.fields.trust).toEqual({ mode: 'ca-file', caFile: '/etc/a.pem' })
    expect(c.notes.join(' ')).toContain('2 files')
    const win = only({ GOVC_URL: 'vc.example.test', GOVC_USERNAME: 'u', GOVC_TLS_CA_CERTS: 'C:\\ca.pem' }, 'win32')
    expect(win.fields.kind === 'vsphere' && win.fields.trust).toEqual({ mode: 'ca-file', caFile: 'C:\\ca.pem' })
  })

  it('notes a missing password and a path other than /sdk', () => {
    const c = only({ GOVC_URL: 'https://u@vc.example.test/custom' })
    expect(c.secret).toBeUndefined()
    expect(c.notes.join(' ')).toMatch(/No password.*|\/custom/)
    expect(c.notes.some((n) => n.includes('/custom'))).toBe(true)
  })

  it('skips a URL without any user, a non-http scheme and garbage, never echoing the URL', () => {
    expect(govcCandidates({ GOVC_URL: 'vc.example.test' }, 'linux').skipped[0]?.reason).toContain('user name')
    expect(govcCandidates({ GOVC_URL: 'ftp://u:p@vc' }, 'linux').skipped[0]?.reason).toContain('ftp')
    const bad = govcCandidates({ GOVC_URL: 'https://u:hunter2@[bad' }, 'linux')
    expect(bad.candidates).toEqual([])
    expect(JSON.stringify(bad)).not.toContain('hunter2')
  })
})
