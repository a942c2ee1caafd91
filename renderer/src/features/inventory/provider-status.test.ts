import { describe, expect, it } from 'vitest'
import { statusDescription, statusTone } from './provider-status'

describe('provider status', () => {
  it('an error stands out, a change under way is busy, a settled state is plain', () => {
    expect(statusTone('ERROR')).toBe('error')
    expect(statusTone('ERROR · deleting')).toBe('error')
    expect(statusTone('Crashed')).toBe('error')
    expect(statusTone('ACTIVE · powering-off')).toBe('busy')
    expect(statusTone('BUILD · spawning')).toBe('busy')
    expect(statusTone('HARD_REBOOT')).toBe('busy')
    expect(statusTone('Starting')).toBe('busy')
    expect(statusTone('VolumeMigrating')).toBe('busy')
    expect(statusTone('ACTIVE')).toBe('plain')
    expect(statusTone('SHUTOFF')).toBe('plain')
    expect(statusTone('POWERED_ON')).toBe('plain')
    expect(statusTone('Running')).toBe('plain')
    expect(statusTone('')).toBe('plain')
    // Words that merely contain the letters are not errors.
    expect(statusTone('TERRORIZED')).toBe('plain')
  })

  it('the badge describes the status in the provider\'s name, and nothing when there is none', () => {
    expect(statusDescription({ provider: 'openstack', status: 'ACTIVE · powering-off' })).toBe('OpenStack status: ACTIVE · powering-off')
    expect(statusDescription({ provider: 'vsphere', status: 'POWERED_OFF' })).toBe('vCenter status: POWERED_OFF')
    expect(statusDescription({ provider: 'vnc', status: '' })).toBeUndefined()
  })
})
