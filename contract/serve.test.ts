import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { call } from './define'
import { PortholeError } from './errors'
import { serve } from './serve'

const calls = {
  'echo.upper': call('upper-cases', z.strictObject({ text: z.string().max(10) }), z.object({ text: z.string() })),
  'echo.leak': call('returns more than the contract names', z.strictObject({}), z.object({ name: z.string() })),
  'echo.fail': call('throws', z.strictObject({ typed: z.boolean() }), z.object({})),
}

function setup() {
  const ran = vi.fn()
  const log = { error: vi.fn() }
  const dispatch = serve(
    calls,
    {
      'echo.upper': ({ text }) => {
        ran()
        return { text: text.toUpperCase() }
      },
      'echo.leak': () => ({ name: 'vm-1', secret: 'hunter2' }),
      'echo.fail': ({ typed }) => {
        if (typed) throw new PortholeError('NOT_FOUND', 'No such VM.', { detail: { id: 'vm-9' } })
        throw new Error('database password is hunter2')
      },
    },
    log,
  )
  const ctx = { transport: 'websocket' as const, signal: new AbortController().signal }
  return { dispatch, ran, log, ctx }
}

describe('serve', () => {
  it('runs the handler with the parsed input', async () => {
    const { dispatch, ctx } = setup()
    expect(await dispatch('echo.upper', { text: 'abc' }, ctx)).toEqual({ ok: true, value: { text: 'ABC' } })
  })

  it('refuses a malformed payload before the handler runs', async () => {
    const { dispatch, ran, ctx } = setup()
    const result = await dispatch('echo.upper', { text: 'way too long a string' }, ctx)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.code).toBe('INVALID_INPUT')
    expect(ran).not.toHaveBeenCalled()
  })

  it('refuses unknown and inherited call names', async () => {
    const { dispatch, ctx } = setup()
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 42]) {
      const result = await dispatch(name, {}, ctx)
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    }
  })

  it('strips fields the output schema does not name', async () => {
    const { dispatch, ctx } = setup()
    expect(await dispatch('echo.leak', {}, ctx)).toEqual({ ok: true, value: { name: 'vm-1' } })
  })

  it('passes typed errors through and hides internal ones behind an incident id', async () => {
    const { dispatch, log, ctx } = setup()
    expect(await dispatch('echo.fail', { typed: true }, ctx)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No such VM.', detail: { id: 'vm-9' }, retryable: false },
    })
    const hidden = await dispatch('echo.fail', { typed: false }, ctx)
    expect(hidden).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(hidden)).not.toContain('hunter2')
    expect(log.error).toHaveBeenCalledOnce()
  })
})
