import { describe, expect, it } from 'vitest'
import { diagnose, scrubSecrets } from './console-doctor'

describe('connection doctor', () => {
  it('names the failed step and cause for each kind of failure', () => {
    const cases: Array<[Parameters<typeof diagnose>[0], string, string]> = [
      [{ message: 'The VM is powered off', code: 'CONFLICT', phase: 'ticket' }, 'ticket', 'vm-off'],
      [{ message: 'Permission to perform this operation was denied', code: 'AUTH_FAILED', phase: 'ticket' }, 'ticket', 'ticket-refused'],
      [{ message: 'could not reach the console: getaddrinfo ENOTFOUND esx-9.example', phase: 'upstream' }, 'network', 'dns'],
      [{ message: 'could not reach the console: connect EHOSTUNREACH 10.0.0.9:902', phase: 'upstream' }, 'network', 'unreachable'],
      [{ message: 'could not reach the console: connect ECONNREFUSED 127.0.0.1:5901', phase: 'upstream' }, 'network', 'port-closed'],
      [{ message: 'certificate changed', code: 'TLS_UNTRUSTED', detail: { reason: 'changed', fingerprint256: 'AA:BB', pinnedFingerprint256: 'CC:DD', host: 'esx', port: 443 }, phase: 'upstream' }, 'tls', 'certificate'],
      [{ message: 'could not reach the console: the console proxy answered HTTP 403', phase: 'upstream' }, 'websocket', 'websocket-refused'],
      [{ message: 'could not reach the console: Server sent no subprotocol', phase: 'upstream' }, 'websocket', 'subprotocol'],
      [{ message: 'the console does not speak RFB 3.x', phase: 'handshake' }, 'rfb', 'rfb-version'],
      [{ message: 'the console asks for security types Porthole does not speak (19)', phase: 'handshake' }, 'rfb', 'rfb-security'],
      [{ message: 'the console refused the password: Authentication failed', code: 'AUTH_FAILED', phase: 'handshake' }, 'rfb', 'vnc-password'],
      [{ message: 'the console did not answer in time', code: 'TIMEOUT', phase: 'upstream' }, 'network', 'timeout'],
      [{ message: 'the console link expired before it was opened', phase: 'expired' }, 'session', 'idle'],
      [{ message: 'the console connection failed: ECONNRESET', phase: 'session' }, 'session', 'upstream-closed'],
      // What the labs (and the real providers they copy) say.
      [{ message: "A WEBMKS ticket needs virtual machine 'vm-12' powered on; it is SUSPENDED.", code: 'VM_STATE', phase: 'ticket' }, 'ticket', 'vm-off'],
      [{ message: 'vm[uuid:0f3a] is not in state of [Running, Crashed], current state is Stopped', code: 'VM_STATE', phase: 'ticket' }, 'ticket', 'vm-off'],
      [{ message: "Policy doesn't allow os_compute_api:os-remote-consoles to be performed.", code: 'PERMISSION_DENIED', phase: 'ticket' }, 'ticket', 'ticket-refused'],
      [{ message: 'could not reach the console: connect ENETUNREACH 224.0.0.1:6080 - Local (0.0.0.0:0)', phase: 'upstream' }, 'network', 'unreachable'],
      [{ message: 'could not reach the console: getaddrinfo EAI_AGAIN console.lab.invalid', phase: 'upstream' }, 'network', 'dns'],
      // noVNC's own words, when the tab spoke RFB itself.
      [{ message: 'Invalid server version SSH-2.0-Open', phase: 'handshake' }, 'rfb', 'rfb-version'],
      [{ message: 'Unsupported security types (types: 19,6)', phase: 'handshake' }, 'rfb', 'rfb-security'],
    ]
    for (const [facts, step, cause] of cases) expect(diagnose(facts), facts.message).toMatchObject({ step, cause })
  })

  it('shows both fingerprints of a changed certificate', () => {
    const d = diagnose({ message: 'x', code: 'TLS_UNTRUSTED', detail: { reason: 'changed', fingerprint256: 'AA:BB', pinnedFingerprint256: 'CC:DD', host: 'esx', port: 443 }, phase: 'upstream' })
    expect(d.title).toBe('The console host’s certificate changed')
    expect(d.detail).toBe('esx:443: trusted before SHA-256 CC:DD; presented now SHA-256 AA:BB')
  })

  it('scrubs tickets, tokens and passwords from details', () => {
    const text = 'wss://esx.example:443/ticket/5f3c9a0b1d2e4f60 failed; nova wss://nova:6080/?token=abc123def456ghi789 password=hunter2 session tok 0123456789abcdefABCDEF0123456789'
    const clean = scrubSecrets(text)
    for (const secret of ['5f3c9a0b1d2e4f60', 'abc123def456ghi789', 'hunter2', '0123456789abcdefABCDEF0123456789']) expect(clean).not.toContain(secret)
    expect(clean).toContain('wss://esx.example:443/ticket/…')
  })

  it('scrubs the ticket and token forms the labs hand out, even short ones outside a URL', () => {
    const zstack = 'c0ffee00c0ffee00c0ffee00c0ffee00_0123456789abcdef0123456789abcdef'
    const cases = [
      [`ws://127.0.0.1:4900/websockify?token=${zstack}`, zstack],
      [`token=${zstack}`, zstack],
      ['noVNC page vnc_auto.html?path=%3Ftoken%3DCnryTok1 failed', 'CnryTok1'],
      ['path=%3Ftoken%3DCnryTok2%26x', 'CnryTok2'],
      ['X-Auth-Token: gAAAAABnCnry', 'gAAAAABnCnry'],
      ['vmware-api-session-id: CnrySess3', 'CnrySess3'],
      ['Authorization: Bearer CnryBear4', 'CnryBear4'],
      ['Cookie: token=CnryCook5; path=/', 'CnryCook5'],
      ['wss://127.0.0.1:9443/ticket/CnryTkt6', 'CnryTkt6'],
    ] as const
    for (const [text, secret] of cases) expect(scrubSecrets(text), text).not.toContain(secret)
    // Words that only look like keys stay.
    expect(scrubSecrets('Failed step: ticket (ticket-refused): The provider refused a console ticket')).toBe('Failed step: ticket (ticket-refused): The provider refused a console ticket')
  })
})
