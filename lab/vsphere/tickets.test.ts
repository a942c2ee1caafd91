import { describe, expect, it } from 'vitest'
import { Sessions } from './sessions'
import { TICKET_TTL_MS, TicketRegistry } from './tickets'

describe('console ticket registry', () => {
  it('redeems a ticket once', () => {
    const reg = new TicketRegistry()
    const t = reg.issue('vm-1', 'WEBMKS')
    expect(reg.consume(t.id)).toMatchObject({ vm: 'vm-1', type: 'WEBMKS' })
    expect(reg.consume(t.id)).toBeUndefined()
    expect(reg.consume('no-such-ticket')).toBeUndefined()
  })

  it('refuses a ticket unused for 30 minutes', () => {
    let now = 1_000_000
    const reg = new TicketRegistry(() => now)
    const fresh = reg.issue('vm-1', 'VMRC')
    const stale = reg.issue('vm-2', 'VMRC')
    now += TICKET_TTL_MS - 1
    expect(reg.consume(fresh.id)?.vm).toBe('vm-1')
    now += 1
    expect(reg.consume(stale.id)).toBeUndefined()
  })

  it('drops the WEBMKS tickets of a VM that powered off', () => {
    const reg = new TicketRegistry()
    const mks = reg.issue('vm-1', 'WEBMKS')
    const vmrc = reg.issue('vm-1', 'VMRC')
    reg.revokeVm('vm-1', 'WEBMKS')
    expect(reg.consume(mks.id)).toBeUndefined()
    expect(reg.consume(vmrc.id)?.type).toBe('VMRC')
  })
})

describe('lab sessions', () => {
  it('idle out after the configured seconds; using a session keeps it alive; 0 means never', () => {
    let now = 0
    let expiry = 10
    const s = new Sessions(() => expiry, () => now)
    const token = s.create('administrator@vsphere.local')
    expect(token).toMatch(/^[0-9a-f]{32}$/)
    now = 9_000
    expect(s.use(token)).toBeDefined()
    now = 18_000
    expect(s.use(token)).toBeDefined()
    now = 28_001
    expect(s.use(token)).toBeUndefined()
    expiry = 0
    const forever = s.create('x')
    now = 1e12
    expect(s.use(forever)).toBeDefined()
    s.expireAll()
    expect(s.use(forever)).toBeUndefined()
  })
})
