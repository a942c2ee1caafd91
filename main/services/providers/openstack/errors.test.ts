import { describe, expect, it } from 'vitest'
import { faultError, parseFault } from './errors'

const nova = (name: string, code: number, message: string): string => JSON.stringify({ [name]: { code, message } })

describe('OpenStack error bodies → contract codes', () => {
  const table: [number, string, string, string][] = [
    [400, 'badRequest', 'marker [x] not found', 'PROVIDER_ERROR'],
    [400, 'badRequest', 'Unavailable console type novnc.', 'UNSUPPORTED'],
    [403, 'forbidden', "Policy doesn't allow x to be performed.", 'PERMISSION_DENIED'],
    [404, 'itemNotFound', 'Instance x could not be found.', 'NOT_FOUND'],
    [405, 'badMethod', 'no', 'PROVIDER_ERROR'],
    [409, 'conflictingRequest', "Cannot 'stop' instance x while it is in vm_state stopped", 'VM_STATE'],
    [409, 'conflictingRequest', 'Instance x is not ready', 'VM_STATE'],
    [409, 'conflictingRequest', 'Instance x is locked', 'CONFLICT'],
    [413, 'overLimit', 'too big', 'RATE_LIMITED'],
    [415, 'badMediaType', 'no', 'PROVIDER_ERROR'],
    [429, 'overLimit', 'slow down', 'RATE_LIMITED'],
    [500, 'computeFault', 'boom', 'PROVIDER_ERROR'],
    [501, 'notImplemented', 'The requested functionality is not supported.', 'UNSUPPORTED'],
    [503, 'serviceUnavailable', 'later', 'PROVIDER_UNAVAILABLE'],
  ]
  it.each(table)('%i %s → %s', (status, name, message, code) => {
    const err = faultError(parseFault(status, nova(name, status, message)), 'server')
    expect(err.code).toBe(code)
    expect(err.message).toBe(message)
    expect(err.detail).toMatchObject({ status, fault: name })
  })

  it('a load balancer page falls back to the status', () => {
    for (const [status, code] of [
      [502, 'PROVIDER_UNAVAILABLE'],
      [504, 'TIMEOUT'],
      [404, 'NOT_FOUND'],
      [401, 'AUTH_FAILED'],
    ] as const) {
      const err = faultError(parseFault(status, '<html><body>Bad Gateway</body></html>'), 'list')
      expect(err.code).toBe(code)
      expect(err.message).toBe(`OpenStack answered HTTP ${status}.`)
    }
  })

  it('Retry-After comes from the header or the body; rate limits are retryable', () => {
    expect(faultError(parseFault(429, '', '12'), 'list').detail).toMatchObject({ retryAfterSeconds: 12 })
    const err = faultError(parseFault(429, JSON.stringify({ overLimit: { code: 429, message: 'x', retryAfter: '30' } })), 'list')
    expect([err.retryable, err.detail?.retryAfterSeconds]).toEqual([true, 30])
  })

  it("Keystone: 401 says what failed without the server's vague text; the app-credential scope refusal is explained", () => {
    const body = JSON.stringify({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } })
    expect(faultError(parseFault(401, body), 'auth').message).toMatch(/^Keystone refused the credentials/)
    const scoped = JSON.stringify({
      error: { code: 401, title: 'Unauthorized', message: 'Error authenticating with application credential: Application credentials cannot request a scope.', identity: {} },
    })
    expect(parseFault(401, scoped).shape).toBe('keystone')
    expect(faultError(parseFault(401, scoped), 'auth').message).toMatch(/without a project scope/)
    // From Nova (keystonemiddleware), the message stays.
    expect(faultError(parseFault(401, body), 'list')).toMatchObject({ code: 'AUTH_FAILED', message: 'The request you have made requires authentication.' })
  })
})
