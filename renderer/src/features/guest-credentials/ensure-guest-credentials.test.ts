import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PortholeApi } from '../../../../contract/client'
import { PortholeError } from '../../../../contract/errors'
import { provideApi } from '../../api'
import { answerGuestCredentials, ensureGuestCredentials } from './ensure-guest-credentials'
import { useGuestCredentials, type CredentialsRequest } from './store'

const vm = { connectionId: 'c', id: 'vm-1' }

/** Answers guest.credentials.status only; the guest calls under test are plain functions. */
const api = {
  call: async () => ({ ok: true, value: { known: false, remembered: false } }),
  on: () => () => undefined,
} as unknown as PortholeApi

const refused = (reason: 'missing' | 'rejected') => new PortholeError('GUEST_AUTH_FAILED', 'Failed to authenticate.', { detail: { reason } })

/** Resolves when the dialog for `vm` is showing. */
function dialogShown(): Promise<CredentialsRequest> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const first = useGuestCredentials.getState().queue[0]
      if (first) resolve(first)
      return first !== undefined
    }
    if (check()) return
    const stop = useGuestCredentials.subscribe(() => check() && stop())
  })
}

describe('ensureGuestCredentials', () => {
  beforeEach(() => {
    provideApi(api)
    useGuestCredentials.setState({ queue: [] })
  })
  afterEach(() => provideApi(undefined))

  it('asks when credentials are missing, retries once given, and says why on a refusal', async () => {
    const outcomes: (PortholeError | string)[] = [refused('missing'), refused('rejected'), 'listed']
    let calls = 0
    const result = ensureGuestCredentials(vm, 'web-01', async () => {
      const next = outcomes[calls++] as PortholeError | string
      if (next instanceof PortholeError) throw next
      return next
    })
    const first = await dialogShown()
    expect(first).toMatchObject({ vmName: 'web-01', reason: 'missing' })
    answerGuestCredentials(vm, true)
    // Main refused the ones given: the dialog comes back saying so, with the guest's words.
    await new Promise((r) => setTimeout(r, 0))
    const second = await dialogShown()
    expect(second).toMatchObject({ reason: 'rejected', message: 'Failed to authenticate.' })
    answerGuestCredentials(vm, true)
    expect(await result).toBe('listed')
    expect(calls).toBe(3)
    expect(useGuestCredentials.getState().queue).toEqual([])
  })

  it('several calls for one VM share one dialog; cancelling fails each with CANCELLED', async () => {
    const failing = async (): Promise<never> => {
      throw refused('missing')
    }
    const a = ensureGuestCredentials(vm, 'web-01', failing)
    const b = ensureGuestCredentials(vm, 'web-01', failing)
    await dialogShown()
    await new Promise((r) => setTimeout(r, 0))
    expect(useGuestCredentials.getState().queue).toHaveLength(1)
    answerGuestCredentials(vm, false)
    await expect(a).rejects.toMatchObject({ code: 'CANCELLED' })
    await expect(b).rejects.toMatchObject({ code: 'CANCELLED' })
  })

  it('other errors pass through without a dialog', async () => {
    await expect(ensureGuestCredentials(vm, 'web-01', async () => Promise.reject(new PortholeError('TOOLS_NOT_RUNNING', 'no tools')))).rejects.toMatchObject({
      code: 'TOOLS_NOT_RUNNING',
    })
    expect(useGuestCredentials.getState().queue).toEqual([])
  })
})
