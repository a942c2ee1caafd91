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

describe('serve, at the edges', () => {
  const edgeCalls = {
    'edge.url': call('a schema whose transform throws on bad input', z.strictObject({ url: z.string().transform((s) => new URL(s).host) }), z.object({ host: z.string() })),
    'edge.many': call('many fields', z.strictObject(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, z.number()]))), z.object({})),
    'edge.secret': call('takes a password', z.strictObject({ password: z.string().max(8) }), z.object({})),
    'edge.wait': call('waits for the caller to go away, then fails', z.strictObject({}), z.object({})),
    'edge.wrong': call('replies with the wrong shape', z.strictObject({}), z.object({ count: z.number() })),
  }

  function edgeSetup() {
    const ran = vi.fn()
    const log = { error: vi.fn() }
    const dispatch = serve(
      edgeCalls,
      {
        'edge.url': ({ url }) => {
          ran()
          return { host: url }
        },
        'edge.many': () => {
          ran()
          return {}
        },
        'edge.secret': () => {
          ran()
          return {}
        },
        'edge.wait': async (_input, ctx) => {
          ran()
          await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve))
          throw new Error('socket gone')
        },
        'edge.wrong': () => ({ count: 'seven' }) as unknown as { count: number },
      },
      log,
    )
    return { dispatch, ran, log }
  }
  const ctx = () => ({ transport: 'websocket' as const, signal: new AbortController().signal })

  it('refuses input whose schema throws, logs the contract bug, and never rejects', async () => {
    const { dispatch, ran, log } = edgeSetup()
    expect(await dispatch('edge.url', { url: 'https://127.0.0.1:8443/x' }, ctx())).toEqual({ ok: true, value: { host: '127.0.0.1:8443' } })
    ran.mockClear()
    const result = await dispatch('edge.url', { url: 'not a url' }, ctx())
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', retryable: false } })
    expect(ran).not.toHaveBeenCalled()
    expect(log.error).toHaveBeenCalledOnce()
  })

  it('names at most ten issues, by path, and never echoes the values received', async () => {
    const { dispatch, ran } = edgeSetup()
    const many = await dispatch('edge.many', Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, 'x'])), ctx())
    expect(many.ok).toBe(false)
    if (!many.ok) {
      const issues = many.error.detail?.issues as { path: string; message: string }[]
      expect(issues).toHaveLength(10)
      expect(issues[0]).toEqual({ path: 'f0', message: expect.any(String) })
    }
    const secret = 'correct-horse-battery-staple'
    const refused = await dispatch('edge.secret', { password: secret }, ctx())
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(JSON.stringify(refused)).not.toContain(secret)
    expect(ran).not.toHaveBeenCalled()
  })

  it('reports CANCELLED, not an incident, when a handler fails because its caller went away', async () => {
    const { dispatch, log } = edgeSetup()
    const controller = new AbortController()
    const pending = dispatch('edge.wait', {}, { transport: 'websocket', signal: controller.signal })
    controller.abort()
    expect(await pending).toEqual({ ok: false, error: { code: 'CANCELLED', message: 'Cancelled.', retryable: false } })
    expect(log.error).not.toHaveBeenCalled()
  })

  it('turns a reply that breaks the contract into INTERNAL with an incident id, logged once', async () => {
    const { dispatch, log } = edgeSetup()
    const result = await dispatch('edge.wrong', {}, ctx())
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL', retryable: false } })
    expect(JSON.stringify(result)).not.toContain('seven')
    expect(log.error).toHaveBeenCalledOnce()
    const incident = log.error.mock.calls[0]?.[1]?.incident as string
    if (!result.ok) expect(result.error.message).toContain(incident)
  })
})
