import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../../contract/console-doctor'
import { diagnosticsText } from './diagnostics'

describe('copy diagnostics', () => {
  it('lists the failed step, the advice and the timings, without tickets or passwords', () => {
    const diagnosis = diagnose({ message: 'could not reach wss://esx:443/ticket/CANARYTICKET123456 token=CANARYTOKEN password=CANARYPW', phase: 'session' })
    const text = diagnosticsText(
      { diagnosis, timings: [{ step: 'websocket', ms: 12.4, ok: true }, { step: 'session', ms: 3050, ok: false }] },
      { vm: 'db-01', provider: 'vsphere', attempt: 2, at: new Date('2026-01-02T03:04:05Z') },
    )
    expect(text).toContain('Failed step: session (upstream-closed): The console closed the connection')
    expect(text).toMatch(/websocket\s+ok\s+12 ms/)
    expect(text).toMatch(/session\s+FAILED 3050 ms/)
    for (const canary of ['CANARYTICKET123456', 'CANARYTOKEN', 'CANARYPW']) expect(text).not.toContain(canary)
  })
})
