import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRedactor, MASK, redactText, redactValue } from './redact'

describe('redactText', () => {
  it.each([
    ['password=hunter2xyz&user=bob', 'password=***&user=bob'],
    ['{"password":"p@ss w0rd","user":"bob"}', '{"password":"***","user":"bob"}'],
    ['{\\"os_password\\":\\"p w\\",\\"x\\":1}', '{\\"os_password\\":\\"***\\",\\"x\\":1}'],
    ["{ 'x-auth-token': 'gAAAAB-abc', host: 'h' }", "{ 'x-auth-token': '***', host: 'h' }"],
    ['X-Auth-Token: gAAAAB-abc', 'X-Auth-Token: ***'],
    ['X-Subject-Token: gAAAAB-abc\r\nVary: x', 'X-Subject-Token: ***\r\nVary: x'],
    ['vmware-api-session-id: 0f3c9a1b2c', 'vmware-api-session-id: ***'],
    ['Authorization: Basic YWRtaW46c2VjcmV0', 'Authorization: Basic ***'],
    ['Authorization: OAuth 7f0c-session', 'Authorization: OAuth ***'],
    ['sent Bearer eyJhbGciOi.x.y to keystone', 'sent Bearer *** to keystone'],
    ['Cookie: a=1; vmware-api-session-id=abc; b=2', 'Cookie: ***'],
    ['GET https://esx-01.lab:443/guestFile?id=17&token=52a1abc HTTP/1.1', 'GET https://esx-01.lab:443/guestFile?id=17&token=*** HTTP/1.1'],
    [
      'http://H:6080/vnc_auto.html?path=%3Ftoken%3Db60bcfc3-5fd4-4d21',
      'http://H:6080/vnc_auto.html?path=%3Ftoken%3D***',
    ],
    ['ws://H:6083/?token=abc123', 'ws://H:6083/?token=***'],
    ['http://127.0.0.1:5000/#token=abcdef', 'http://127.0.0.1:5000/#token=***'],
    ['wss://esx-02:443/ticket/8f2e1c9d0a?x=1', 'wss://esx-02:443/ticket/***?x=1'],
    ['vmrc://clone:cst-VCT-52a3@vc.lab/?moid=vm-42', 'vmrc://clone:***@vc.lab/?moid=vm-42'],
    ['apiKey: k-123, api_key=k-456', 'apiKey: ***, api_key=***'],
    ['password={curly}pw [x]', 'password=*** [x]'],
    ["{ token: { expires: 1 }, password: '[br]' }", "{ token: { expires: 1 }, password: '***' }"],
    ['nothing to see: vm-42 powered on', 'nothing to see: vm-42 powered on'],
    // Keystone and ZStack bodies: the object after "token"/"password" keeps its shape, its secrets go.
    [
      '{"token":{"expires_at":"2026-01-01T00:00:00Z","methods":["password"]}}',
      '{"token":{"expires_at":"2026-01-01T00:00:00Z","methods":["password"]}}',
    ],
    [
      '{"auth":{"identity":{"password":{"user":{"name":"admin","password":"s3cr3t!"}}}}}',
      '{"auth":{"identity":{"password":{"user":{"name":"admin","password":"***"}}}}}',
    ],
    [
      '{"application_credential":{"id":"ac1","secret":"Zq-123"}}',
      '{"application_credential":{"id":"ac1","secret":"***"}}',
    ],
    ['{"logInByAccount":{"accountName":"admin","password":"c7ad44cbad"}}', '{"logInByAccount":{"accountName":"admin","password":"***"}}'],
  ])('%s', (input, expected) => {
    expect(redactText(input)).toBe(expected)
  })

  it('masks registered secrets in every form they take', () => {
    const s = 'p@ss w"rd/1'
    const out = redactText(`login ${s} url=https://h/?x=${encodeURIComponent(s)} body=${JSON.stringify({ v: s })}`, [s])
    expect(out).not.toContain(s)
    expect(out).not.toContain(encodeURIComponent(s))
    expect(out).not.toContain(JSON.stringify(s).slice(1, -1))
    expect(out).toContain(`login ${MASK}`)
  })

  it('stays linear on hostile input', () => {
    const big = 'token'.repeat(200_000) + 'password='.repeat(50_000) + '"'.repeat(100_000)
    const start = performance.now()
    redactText(big)
    // Generous bound: a quadratic pattern takes minutes here, a linear one well under a second.
    expect(performance.now() - start).toBeLessThan(5_000)
  })
})

describe('redactValue', () => {
  it('masks credential-named keys deeply, keeps the rest, survives cycles', () => {
    const meta: Record<string, unknown> = {
      user: 'bob',
      password: 'x',
      hasPassword: true,
      nested: { headers: { 'X-Auth-Token': 'abc', accept: 'json' }, list: [{ ticket: 'T' }] },
      raw: ['x-auth-token', 'abcd', 'accept', 'json'],
      url: new URL('https://h/?token=zzz&a=1'),
      when: new Date(0),
      bytes: Buffer.from('secret'),
      map: new Map([['sessionId', 's1']]),
    }
    meta['self'] = meta
    expect(redactValue(meta)).toEqual({
      user: 'bob',
      password: MASK,
      hasPassword: true,
      nested: { headers: { 'X-Auth-Token': MASK, accept: 'json' }, list: [{ ticket: MASK }] },
      raw: ['x-auth-token', MASK, 'accept', 'json'],
      url: 'https://h/?token=***&a=1',
      when: '1970-01-01T00:00:00.000Z',
      bytes: '[6 bytes]',
      map: { sessionId: MASK },
      self: '[Circular]',
    })
  })

  it('redacts errors: message, stack, cause and own fields', () => {
    const err = Object.assign(new Error('failed GET /x?ticket=abc', { cause: new Error('token=def') }), { detail: { password: 'p' } })
    const out = redactValue({ err }) as { err: Record<string, unknown> }
    expect(out.err['message']).toBe('failed GET /x?ticket=***')
    expect(JSON.stringify(out)).not.toMatch(/abc|def|"p"/)
  })
})

describe('registered secrets', () => {
  it('are masked until unregistered, counted per registration', () => {
    const r = createRedactor()
    const off1 = r.addSecret('correct horse')
    const off2 = r.addSecret('correct horse')
    expect(r.text('pw correct horse!')).toBe(`pw ${MASK}!`)
    off1()
    off1()
    expect(r.text('correct horse')).toBe(MASK)
    off2()
    expect(r.text('correct horse')).toBe('correct horse')
    r.addSecret('battery staple')
    r.clearSecrets()
    expect(r.text('battery staple')).toBe('battery staple')
  })
})

// ---- property: a canary secret never survives, in any form, in any surroundings ----

const tokenChars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~'.split(''))
const tokenLike = fc.array(tokenChars, { minLength: 10, maxLength: 40 }).map((cs) => cs.join(''))
/** Unquoted in text, a password can be told apart up to whitespace, quotes and & , ; < > \\ only. */
const passwordChars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$()*+/:=?@[]{}|^#%`'.split(''))
const passwordLike = fc.array(passwordChars, { minLength: 8, maxLength: 40 }).map((cs) => cs.join(''))
const ticketLike = fc.stringMatching(/^[A-Za-z0-9-]{10,40}$/)
const base64ish = fc.stringMatching(/^[A-Za-z0-9+/]{10,40}={0,2}$/)
const noise = fc.string({ maxLength: 40 })

/** Forms a provider, the relay or a download could log a credential in. */
const textForms: [fc.Arbitrary<string>, (c: string) => string][] = [
  [tokenLike, (c) => `password=${c}`],
  [passwordLike, (c) => `password=${c}`],
  [passwordLike, (c) => `os_password: ${c}`],
  [passwordLike, (c) => `X-Auth-Token: ${c}`],
  [passwordLike, (c) => `https://vc/api?x=1&sessionId=${c}`],
  [fc.string({ minLength: 8, maxLength: 30 }), (c) => JSON.stringify({ password: c, user: 'u' })],
  [fc.string({ minLength: 8, maxLength: 30 }), (c) => JSON.stringify(JSON.stringify({ auth: { secret: c } }))],
  [tokenLike, (c) => `X-Auth-Token: ${c}`],
  [tokenLike, (c) => `X-Subject-Token:${c}`],
  [tokenLike, (c) => `vmware-api-session-id: ${c}`],
  [tokenLike, (c) => `Authorization: Bearer ${c}`],
  [base64ish, (c) => `Authorization: Basic ${c}`],
  [tokenLike, (c) => `Authorization: OAuth ${c}`],
  [tokenLike, (c) => `OAuth ${c}`],
  [tokenLike, (c) => `https://esx:443/guestFile?id=1&token=${c}&x=2`],
  [tokenLike, (c) => `http://h:6082/spice_auto.html?token=${c}`],
  [tokenLike, (c) => `http://h:6080/vnc_auto.html?path=%3Ftoken%3D${c}`],
  [tokenLike, (c) => `http://h:6080/vnc_auto.html?path=${encodeURIComponent(`?token=${c}`)}`],
  [tokenLike, (c) => `http://127.0.0.1:5000/#token=${c}`],
  [ticketLike, (c) => `wss://esx-01:443/ticket/${c}`],
  [ticketLike, (c) => `{"value":"wss://esx-01:443/ticket/${c}"}`],
  [tokenLike, (c) => `vmrc://clone:${c}@vc.lab/?moid=vm-1`],
  [tokenLike, (c) => `Cookie: a=1; vmware-api-session-id=${c}; b=2`],
  [tokenLike, (c) => `sessionId=${c}`],
  [tokenLike, (c) => `ticket: '${c}'`],
  [tokenLike, (c) => `apiKey=${c}`],
  [tokenLike, (c) => `application_credential_secret=${c}`],
]

describe('canary property', () => {
  it('a credential in any pattern form never survives a log message', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: textForms.length - 1 }).chain((i) => {
          const [arb, form] = textForms[i]!
          return fc.tuple(arb, fc.constant(form), noise, noise)
        }),
        ([canary, form, before, after]) => {
          const out = redactText(`${before}${form(canary)}${after}`)
          expect(out).not.toContain(canary)
        },
      ),
      { numRuns: 4000 },
    )
  })

  it('a credential in structured meta never survives', () => {
    const metaForms: ((c: string) => unknown)[] = [
      (c) => ({ password: c }),
      (c) => ({ a: { b: [{ token: c }] } }),
      (c) => ({ headers: { 'X-Auth-Token': c, Accept: 'application/json' } }),
      (c) => ({ rawHeaders: ['content-type', 'json', 'vmware-api-session-id', c] }),
      (c) => ({ url: `https://h/guestFile?id=1&token=${c}` }),
      (c) => ({ err: new Error(`upstream said ticket=${c}`) }),
      (c) => ({ session: { id: c, user: 'bob' } }),
      (c) => ({ m: new Map([['apiKey', c]]) }),
      (c) => {
        const o: Record<string, unknown> = { credential: c }
        o['loop'] = o
        return o
      },
    ]
    fc.assert(
      fc.property(tokenLike, fc.integer({ min: 0, max: metaForms.length - 1 }), (canary, i) => {
        const out = JSON.stringify(redactValue(metaForms[i]!(canary)))
        expect(out).not.toContain(canary)
      }),
      { numRuns: 2000 },
    )
  })

  it('a registered secret of any characters never survives, raw, URL-encoded or JSON-escaped', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4, maxLength: 30, unit: 'grapheme' }),
        noise,
        noise,
        fc.constantFrom<(c: string) => string>(
          (c) => c,
          (c) => encodeURIComponent(c),
          (c) => JSON.stringify(c),
          (c) => JSON.stringify({ nested: { value: c } }),
        ),
        (secret, before, after, encode) => {
          const r = createRedactor()
          r.addSecret(secret)
          let encoded: string
          try {
            encoded = encode(secret)
          } catch {
            return // not representable in that form
          }
          expect(r.text(`${before}${encoded}${after}`)).not.toContain(encoded.replace(/^"|"$/g, ''))
          const meta = JSON.stringify(r.value({ [`k${before}`]: `${before}${secret}${after}`, [secret]: 1, deep: [[{ v: secret }]] }))
          expect(meta).not.toContain(JSON.stringify(secret).slice(1, -1))
        },
      ),
      { numRuns: 3000 },
    )
  })
})
