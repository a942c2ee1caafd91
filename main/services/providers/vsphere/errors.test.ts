import { describe, expect, it } from 'vitest'
import { faultError, isSessionFault, parseFault } from './errors'

const api = (type: string, id = 'x.y', message = 'Server says no.') =>
  JSON.stringify({ error_type: type, messages: [{ id, default_message: message, args: [] }] })
const rest = (type: string, withErrorType: boolean, id = 'x.y', message = 'Server says no.') =>
  JSON.stringify({
    type: `com.vmware.vapi.std.errors.${type.toLowerCase()}`,
    value: { ...(withErrorType ? { error_type: type } : {}), messages: [{ args: [], default_message: message, id }] },
  })

describe('vSphere error bodies → contract codes', () => {
  const table: [string, string][] = [
    ['UNAUTHENTICATED', 'AUTH_FAILED'],
    ['UNAUTHORIZED', 'PERMISSION_DENIED'],
    ['NOT_FOUND', 'NOT_FOUND'],
    ['NOT_ALLOWED_IN_CURRENT_STATE', 'VM_STATE'],
    ['ALREADY_IN_DESIRED_STATE', 'VM_STATE'],
    ['UNSUPPORTED', 'UNSUPPORTED'],
    ['OPERATION_NOT_FOUND', 'UNSUPPORTED'],
    ['RESOURCE_BUSY', 'CONFLICT'],
    ['RESOURCE_IN_USE', 'CONFLICT'],
    ['ALREADY_EXISTS', 'CONFLICT'],
    ['SERVICE_UNAVAILABLE', 'PROVIDER_UNAVAILABLE'],
    ['TIMED_OUT', 'TIMEOUT'],
    ['CANCELED', 'CANCELLED'],
    ['INVALID_ARGUMENT', 'PROVIDER_ERROR'],
    ['RESOURCE_INACCESSIBLE', 'PROVIDER_ERROR'],
    ['UNABLE_TO_ALLOCATE_RESOURCE', 'PROVIDER_ERROR'],
    ['ERROR', 'PROVIDER_ERROR'],
    ['INTERNAL_SERVER_ERROR', 'PROVIDER_ERROR'],
  ]
  it.each(table)('%s → %s in every body form, whatever the status', (type, code) => {
    // The same type with a status that disagrees (e.g. /rest's 400 for a 500 type) maps the same.
    for (const status of [400, 500]) {
      for (const body of [api(type), rest(type, true), rest(type, false)]) {
        const err = faultError(parseFault(status, body))
        expect(err.code).toBe(code)
        expect(err.message).toBe('Server says no.')
        expect(err.detail).toMatchObject({ vsphereType: type, status, messageId: 'x.y' })
      }
    }
  })

  it('tells Tools-not-running apart from an unavailable vCenter by message id', () => {
    const id = 'com.vmware.api.vcenter.vm.guest.tools_not_running'
    expect(faultError(parseFault(503, rest('SERVICE_UNAVAILABLE', false, id))).code).toBe('TOOLS_NOT_RUNNING')
    expect(faultError(parseFault(503, api('SERVICE_UNAVAILABLE'))).code).toBe('PROVIDER_UNAVAILABLE')
  })

  it('reads 503 on a guest operation as Tools not running, except the API front end\'s own', () => {
    expect(faultError(parseFault(503, api('SERVICE_UNAVAILABLE', 'com.vmware.api.vcenter.vm.guest.other')), { guest: true }).code).toBe('TOOLS_NOT_RUNNING')
    expect(faultError(parseFault(503, api('SERVICE_UNAVAILABLE', 'com.vmware.vapi.endpoint.service_unavailable')), { guest: true }).code).toBe(
      'PROVIDER_UNAVAILABLE',
    )
  })

  it('marks busy and unavailable as retryable, others not', () => {
    expect(faultError(parseFault(500, api('RESOURCE_BUSY'))).retryable).toBe(true)
    expect(faultError(parseFault(503, api('SERVICE_UNAVAILABLE'))).retryable).toBe(true)
    expect(faultError(parseFault(404, api('NOT_FOUND'))).retryable).toBe(false)
  })

  it('falls back to the status only for bodies without a type (vcsim empty 401, HTML, nothing)', () => {
    expect(faultError(parseFault(401, '')).code).toBe('AUTH_FAILED')
    expect(faultError(parseFault(404, '<html>Not Found</html>')).code).toBe('NOT_FOUND')
    expect(faultError(parseFault(503, '{}')).code).toBe('PROVIDER_UNAVAILABLE')
    expect(faultError(parseFault(502, 'Bad gateway')).message).toBe('vCenter answered HTTP 502.')
    // vcsim: {"type":"<kind>","value":{}} with no messages.
    const vcsim = parseFault(404, JSON.stringify({ type: 'com.vmware.vapi.std.errors.not_found', value: {} }))
    expect(vcsim.type).toBe('NOT_FOUND')
    expect(faultError(vcsim).code).toBe('NOT_FOUND')
  })

  it('tells a session 401 from a guest 401 by the body', () => {
    const session = parseFault(
      401,
      JSON.stringify({
        error_type: 'UNAUTHENTICATED',
        messages: [{ id: 'com.vmware.vapi.endpoint.method.authentication.required', default_message: 'Authentication required.', args: [] }],
        challenge: 'Basic realm="VAPI endpoint"',
      }),
    )
    const old = parseFault(401, rest('UNAUTHENTICATED', false, 'vapi.method.authentication.required'))
    const guest = parseFault(401, api('UNAUTHENTICATED', 'com.vmware.api.vcenter.vm.guest.credentials.invalid'))
    expect(isSessionFault(session)).toBe('session')
    expect(isSessionFault(old)).toBe('session')
    expect(isSessionFault(guest)).toBe('guest')
    expect(isSessionFault(parseFault(401, ''))).toBe('unknown')
    expect(faultError(guest, { guest: true }).code).toBe('GUEST_AUTH_FAILED')
    expect(faultError(session, { guest: true }).code).toBe('AUTH_FAILED')
    expect(faultError(guest).code).toBe('AUTH_FAILED')
  })
})
