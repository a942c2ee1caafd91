import { describe, expect, it } from 'vitest'
import { faultError, isSessionExpired, parseFault } from './errors'

const body = (code: string, details?: string, cause?: Record<string, unknown>) =>
  JSON.stringify({ error: { code, description: `description of ${code}`, ...(details !== undefined ? { details } : {}), ...(cause ? { cause } : {}) } })

describe('ZStack failures → contract codes', () => {
  const table: [string, string][] = [
    ['ID.1000', 'AUTH_FAILED'],
    ['ID.1001', 'AUTH_FAILED'],
    ['ID.1002', 'PERMISSION_DENIED'],
    ['ID.1005', 'AUTH_FAILED'],
    ['ID.1006', 'RATE_LIMITED'],
    ['ID.2001', 'UNSUPPORTED'],
    ['ID.2002', 'UNSUPPORTED'],
    ['SYS.1001', 'TIMEOUT'],
    ['SYS.1003', 'NOT_FOUND'],
    ['SYS.1006', 'PROVIDER_ERROR'],
    ['SYS.1007', 'PROVIDER_ERROR'],
    ['SYS.1010', 'PROVIDER_UNAVAILABLE'],
    ['SYS.1012', 'PROVIDER_UNAVAILABLE'],
    ['VM.1001', 'PROVIDER_ERROR'],
    ['VM.1002', 'PROVIDER_ERROR'],
    ['VM.1003', 'PROVIDER_ERROR'],
    ['VM.1010', 'VM_STATE'],
    ['HOST.1234', 'PROVIDER_ERROR'],
  ]
  it.each(table)('%s → %s, keeping ZStack details and codes', (code, expected) => {
    const err = faultError(parseFault(503, body(code, 'what exactly went wrong')))
    expect(err.code).toBe(expected)
    expect(err.message.startsWith('what exactly went wrong')).toBe(true)
    expect(err.detail).toMatchObject({ status: 503, zstackCode: code, description: `description of ${code}` })
  })

  it('a generic SYS.1006 takes its meaning from the cause (VM.1010 → VM_STATE, nested SYS.1003 → NOT_FOUND)', () => {
    const wrongState = parseFault(503, body('SYS.1006', 'vm is not happy', { code: 'VM.1010', description: 'd', details: 'state Stopped' }))
    expect(faultError(wrongState).code).toBe('VM_STATE')
    expect(faultError(wrongState).detail).toMatchObject({ causes: ['VM.1010'] })
    const deep = parseFault(503, body('SYS.1000', undefined, { code: 'SYS.1006', cause: { code: 'SYS.1003', details: 'gone' } }))
    expect(faultError(deep).code).toBe('NOT_FOUND')
    // No details of its own: the cause's details are the message.
    expect(faultError(deep).message).toBe('gone')
    // Console access interceptor: SYS.1006 without a cause, recognised by its words.
    const console = parseFault(503, body('SYS.1006', 'vm[uuid:x] is not in state of [Running, Paused], current state is Stopped'))
    expect(faultError(console).code).toBe('VM_STATE')
  })

  it('falls back to the description, then to the status and text', () => {
    expect(faultError(parseFault(503, body('SYS.1003'))).message).toBe('description of SYS.1003')
    expect(faultError(parseFault(503, '{"error":{"code":"ID.1006"}}')).message).toContain('Log out other sessions')
  })

  it('HTTP-layer plain-text errors and proxy pages map by status, text kept', () => {
    const cases: [number, string, string][] = [
      [400, "missing header 'Authorization'", 'PROVIDER_ERROR'],
      [400, "the body doesn't contain action mapping to the URL[/v1/x]", 'PROVIDER_ERROR'],
      [403, 'requestTimeTooSkewed', 'PERMISSION_DENIED'],
      [404, 'no api mapping to /v1/vm-instances/x/nothing', 'UNSUPPORTED'],
      [404, 'the job has been expired', 'NOT_FOUND'],
      [405, 'only GET method is allowed for querying job status', 'UNSUPPORTED'],
      [500, 'java.lang.NullPointerException', 'PROVIDER_ERROR'],
      [502, '<html>Bad Gateway</html>', 'PROVIDER_UNAVAILABLE'],
      // A 503 without a JSON error is a proxy saying the node is down, not an API failure.
      [503, '<html>Service Unavailable</html>', 'PROVIDER_UNAVAILABLE'],
      [504, '', 'TIMEOUT'],
    ]
    for (const [status, text, code] of cases) {
      const err = faultError(parseFault(status, text))
      expect(err.code, `${status} ${text}`).toBe(code)
      expect(err.message).toContain(`HTTP ${status}`)
      if (text) expect(err.message).toContain(text)
      expect(err.detail).toEqual({ status })
    }
  })

  it('marks unavailable and timeout retryable, the rest not', () => {
    expect(faultError(parseFault(503, body('SYS.1012'))).retryable).toBe(true)
    expect(faultError(parseFault(503, body('SYS.1001'))).retryable).toBe(true)
    expect(faultError(parseFault(503, body('ID.1000'))).retryable).toBe(false)
    expect(faultError(parseFault(503, body('ID.1006'))).retryable).toBe(false)
  })

  it('knows an expired session only by ID.1001', () => {
    expect(isSessionExpired(parseFault(503, body('ID.1001')))).toBe(true)
    expect(isSessionExpired(parseFault(503, body('ID.1000')))).toBe(false)
    expect(isSessionExpired(parseFault(400, "missing header 'Authorization'"))).toBe(false)
  })
})
