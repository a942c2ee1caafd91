import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { GuestCredentialInput, isProcessRow, ProcessRow, ProcessRows, RunProgramSpec } from './guest'

/** Each slot valid or a near miss: wrong type, out of range, too long. */
const slot = (valid: fc.Arbitrary<unknown>, ...wrong: fc.Arbitrary<unknown>[]) => fc.oneof({ weight: 4, arbitrary: valid }, ...wrong.map((w) => ({ weight: 1, arbitrary: w })))
const text = (max: number) => slot(fc.string({ maxLength: 8 }), fc.string({ minLength: max + 1, maxLength: max + 3 }), fc.integer(), fc.constant(null))
const rowLike = fc.tuple(
  slot(fc.nat(), fc.integer({ max: -1 }), fc.double({ noInteger: true }), fc.constant(Number.MAX_SAFE_INTEGER + 2), fc.string()),
  text(4096),
  text(1024),
  slot(fc.string({ maxLength: 20 })),
  text(64),
  slot(fc.constantFrom(0, 1), fc.constantFrom(2, -1, true, '1')),
  text(64),
  slot(fc.oneof(fc.integer(), fc.constant(null)), fc.double({ noInteger: true }), fc.string(), fc.constant(undefined)),
)

describe('process rows', () => {
  it('the hand check accepts exactly what the tuple schema accepts', () => {
    fc.assert(
      fc.property(fc.oneof(rowLike, fc.anything(), rowLike.map((r) => r.slice(0, 7)), rowLike.map((r) => [...r, 0])), (v) => {
        expect(isProcessRow(v)).toBe(ProcessRow.safeParse(v).success)
      }),
      { numRuns: 3000 },
    )
  })

  it('the list schema refuses a malformed row anywhere in the list', () => {
    const good: unknown[] = [1, 'init', 'root', '/sbin/init', '2026-01-01T00:00:00Z', 0, '', null]
    expect(ProcessRows.safeParse([good, good]).success).toBe(true)
    expect(ProcessRows.safeParse([good, [...good.slice(0, 7), 1.5]]).success).toBe(false)
    expect(ProcessRows.safeParse({ 0: good }).success).toBe(false)
  })
})

describe('guest inputs', () => {
  const vm = { connectionId: 'c', id: 'vm-1' }
  it('credentials: a password needs a user, a SAML token may go without; nothing else passes', () => {
    expect(GuestCredentialInput.safeParse({ vm, type: 'password', user: 'root', password: 'x', remember: false }).success).toBe(true)
    expect(GuestCredentialInput.safeParse({ vm, type: 'password', user: '', password: 'x', remember: false }).success).toBe(false)
    expect(GuestCredentialInput.safeParse({ vm, type: 'saml', samlToken: 't', remember: true }).success).toBe(true)
    expect(GuestCredentialInput.safeParse({ vm, type: 'saml', samlToken: 't', password: 'x', remember: true }).success).toBe(false)
  })
  it('run program: environment names without "=", at most 256 of them', () => {
    expect(RunProgramSpec.safeParse({ vm, path: '/bin/true', environment: { LANG: 'C' } }).success).toBe(true)
    expect(RunProgramSpec.safeParse({ vm, path: '/bin/true', environment: { 'A=B': 'x' } }).success).toBe(false)
    const many = Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`V${i}`, '1']))
    expect(RunProgramSpec.safeParse({ vm, path: '/bin/true', environment: many }).success).toBe(false)
  })
})
