import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PortholeError } from '../../../contract/errors'
import { INFO_TIMEOUT_MS, MAX_NOTICES, notifyError, notifyInfo, useNotify } from './notify'

const notices = () => useNotify.getState().notices

describe('notify store', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    useNotify.setState({ notices: [] })
  })
  afterEach(() => vi.useRealTimers())

  it('shows a PortholeError with its message and code', () => {
    notifyError(new PortholeError('NOT_FOUND', 'No such VM.'), 'Could not open the console')
    expect(notices()).toMatchObject([{ kind: 'error', message: 'Could not open the console: No such VM.', code: 'NOT_FOUND', count: 1 }])
  })

  it('shows a wire error as it came from the host', () => {
    notifyError({ code: 'TIMEOUT', message: 'vCenter did not answer.', retryable: true })
    expect(notices()).toMatchObject([{ message: 'vCenter did not answer.', code: 'TIMEOUT' }])
  })

  it('shows anything else without a code', () => {
    notifyError(new Error('boom'))
    notifyError('plain')
    expect(notices().map((n) => [n.message, n.code])).toEqual([
      ['boom', undefined],
      ['plain', undefined],
    ])
  })

  it('counts a repeated error up, keeping its newest message', () => {
    notifyError(new PortholeError('INTERNAL', 'incident a'), 'Saving')
    notifyError(new PortholeError('INTERNAL', 'incident b'), 'Saving')
    expect(notices()).toHaveLength(1)
    expect(notices()[0]).toMatchObject({ message: 'Saving: incident b', count: 2 })
    notifyError(new PortholeError('INTERNAL', 'incident c'), 'Loading')
    expect(notices()).toHaveLength(2)
  })

  it('keeps only the newest few', () => {
    for (let i = 0; i < MAX_NOTICES + 2; i++) notifyError(new Error(`e${i}`))
    expect(notices().map((n) => n.message)).toEqual(['e2', 'e3', 'e4', 'e5'].slice(-MAX_NOTICES))
  })

  it('lets info notices expire and errors stay until dismissed', () => {
    const error = notifyError(new Error('stays'))
    notifyInfo('goes')
    vi.advanceTimersByTime(INFO_TIMEOUT_MS)
    expect(notices().map((n) => n.message)).toEqual(['stays'])
    useNotify.getState().dismiss(error)
    expect(notices()).toEqual([])
  })
})
