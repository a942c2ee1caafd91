import { describe, expect, it } from 'vitest'
import { ProfilePatch, type ProfileSummary } from '../../../../contract/profiles'
import { emptyForm, endpointHost, formFromProfile, inputFromForm, patchFromForm } from './profile-form'

const META = { id: '6f1c2a7e-1b7d-4c39-9a34-3e1f5a0b9c11', hasSecret: true, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' }

const OPENSTACK: ProfileSummary = {
  ...META,
  kind: 'openstack',
  name: 'cloud',
  endpoint: 'https://keystone.example.com:5000/v3',
  trust: { mode: 'pinned' },
  authType: 'password',
  user: 'alice',
  projectName: 'ops',
  region: 'RegionOne',
  interface: 'public',
}

describe('profile form', () => {
  it('builds a vCenter profile with the contract’s schema, and says what is missing', () => {
    const form = { ...emptyForm('vsphere'), name: ' lab ', endpoint: 'https://vc.example.com', user: 'administrator@vsphere.local' }
    const missing = inputFromForm(form)
    expect(missing.ok).toBe(false)
    if (!missing.ok) expect(missing.errors.fields['secret']).toBe('Required.')
    const ok = inputFromForm({ ...form, secret: 's3cret' })
    expect(ok).toEqual({
      ok: true,
      value: { kind: 'vsphere', name: 'lab', endpoint: 'https://vc.example.com', user: 'administrator@vsphere.local', trust: { mode: 'system' }, secret: 's3cret' },
    })
  })

  it('requires a CA file path for the CA file mode and an http(s) URL', () => {
    const result = inputFromForm({ ...emptyForm('zstack'), name: 'z', endpoint: 'ftp://z', user: 'admin', secret: 'x', trustMode: 'ca-file' })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(Object.keys(result.errors.fields).sort()).toEqual(['caFile', 'endpoint'])
    }
  })

  it('lets VNC go without a password and checks the port', () => {
    expect(inputFromForm({ ...emptyForm('vnc'), name: 'kvm', host: '127.0.0.1', port: '5901' })).toEqual({
      ok: true,
      value: { kind: 'vnc', name: 'kvm', host: '127.0.0.1', port: 5901 },
    })
    const bad = inputFromForm({ ...emptyForm('vnc'), name: 'kvm', host: '127.0.0.1', port: '99999' })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.errors.fields['port']).toMatch(/1 to 65535/)
  })

  it('round-trips a profile through the edit form, keeping the secret unless told', () => {
    const form = formFromProfile(OPENSTACK)
    expect(form.secret).toBe('')
    const patch = patchFromForm(form, OPENSTACK)
    expect(patch.ok).toBe(true)
    if (!patch.ok) return
    expect(ProfilePatch.safeParse(patch.value).success).toBe(true)
    expect(patch.value).not.toHaveProperty('secret')
    expect(patch.value).not.toHaveProperty('clearSecret')
    expect(patch.value).toMatchObject({ kind: 'openstack', name: 'cloud', projectName: 'ops', region: 'RegionOne' })
  })

  it('clears emptied OpenStack fields with null, and sends a new or cleared secret', () => {
    const form = { ...formFromProfile(OPENSTACK), region: '', secret: 'new' }
    const patch = patchFromForm(form, OPENSTACK)
    expect(patch.ok && patch.value).toMatchObject({ region: null, secret: 'new' })
    const cleared = patchFromForm({ ...formFromProfile(OPENSTACK), clearSecret: true }, OPENSTACK)
    expect(cleared.ok && cleared.value).toMatchObject({ clearSecret: true })
    expect(cleared.ok && 'secret' in cleared.value).toBe(false)
  })

  it('checks OpenStack rules on edit too (a password login needs a project)', () => {
    const patch = patchFromForm({ ...formFromProfile(OPENSTACK), projectName: '' }, OPENSTACK)
    expect(patch.ok).toBe(false)
    if (!patch.ok) expect(patch.errors.fields['projectName']).toMatch(/project/)
  })

  it('shows the host an endpoint reaches', () => {
    expect(endpointHost(OPENSTACK)).toBe('keystone.example.com:5000')
    expect(endpointHost({ ...META, kind: 'vnc', name: 'v', host: '10.0.0.5', port: 5900 })).toBe('10.0.0.5:5900')
  })
})
