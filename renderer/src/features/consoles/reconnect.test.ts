import { describe, expect, it } from 'vitest'
import { backoffMs, closeReasonText, MAX_RECONNECTS, worthRetrying } from './reconnect'

describe('console reconnect', () => {
  it('backs off exponentially with jitter between half and all of the step', () => {
    expect(backoffMs(1, () => 0)).toBe(500)
    expect(backoffMs(1, () => 1)).toBe(1000)
    expect(backoffMs(3, () => 0.5)).toBe(3000)
    expect(backoffMs(5, () => 1)).toBe(16_000)
    expect(backoffMs(9, () => 1)).toBe(30_000)
    expect(MAX_RECONNECTS).toBe(5)
  })

  it('does not retry what a retry cannot fix', () => {
    expect(worthRetrying(undefined)).toBe(true)
    expect(worthRetrying('PROVIDER_UNAVAILABLE')).toBe(true)
    expect(worthRetrying('TIMEOUT')).toBe(true)
    expect(worthRetrying('AUTH_FAILED')).toBe(false)
    expect(worthRetrying('TLS_UNTRUSTED')).toBe(false)
    expect(worthRetrying('VM_STATE')).toBe(false)
  })

  it('says why in the user\'s words', () => {
    expect(closeReasonText({ closedBy: 'upstream', reason: 'the console connection failed: read ECONNRESET', error: { code: 'PROVIDER_UNAVAILABLE', message: 'the console connection failed: read ECONNRESET' } })).toMatch(/went away/)
    expect(closeReasonText({ error: { code: 'PROVIDER_UNAVAILABLE', message: 'could not reach the console: connect ECONNREFUSED 127.0.0.1:5901' } })).toMatch(/not reachable/)
    expect(closeReasonText({ closedBy: 'relay', reason: 'the vault was locked' })).toBe('Closed because the vault was locked.')
    expect(closeReasonText({ closedBy: 'upstream', reason: 'the console closed: ' })).toMatch(/closed the connection/)
    expect(closeReasonText(undefined)).toMatch(/lost/)
    expect(closeReasonText({ error: { code: 'TLS_UNTRUSTED', message: 'The certificate of esx:443 is not the one you trusted: someone may be intercepting the connection, or the server got a new certificate.' } })).toBe(
      'The console host presented another certificate than the one you trusted.',
    )
    expect(closeReasonText({ error: { code: 'TLS_UNTRUSTED', message: 'The certificate of esx:443 is not trusted yet: check its fingerprint.' } })).toMatch(/does not trust yet/)
    expect(closeReasonText({ error: { code: 'PROVIDER_ERROR', message: 'the console asks for security types Porthole does not speak (19 VeNCrypt)' } })).toBe(
      'The console asks for security types Porthole does not speak (19 VeNCrypt).',
    )
    expect(closeReasonText({ error: { code: 'VM_STATE', message: 'vm[uuid:1] is not in state of [Running], current state is Stopped' } })).toBe('vm[uuid:1] is not in state of [Running], current state is Stopped')
    expect(closeReasonText({ error: { code: 'AUTH_FAILED', message: 'the console refused the password: Authentication failed' } })).toBe(
      'The console refused the password: Authentication failed',
    )
  })
})
