import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { inventoryEvents, isPackedRows, isVmRow, packRows, unpackRows, VmRowTuple } from './inventory'

describe('VmRow', () => {
  it('the hand check agrees with the tuple schema on rows and near-rows', () => {
    const text = fc.oneof(fc.string({ maxLength: 20 }), fc.constant(''), fc.integer(), fc.constant(null), fc.string({ minLength: 1001, maxLength: 1002 }))
    const row = fc.tuple(text, text, fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constant('1')), text, text, text, text, fc.integer({ min: -1, max: 3 }), text)
    // Rows one field short (the eight-field rows of before) or one too long, and arrays of any length.
    const short = row.map((r) => r.slice(0, 8))
    const long = fc.tuple(row, text).map(([r, extra]) => [...r, extra])
    const candidates = fc.oneof(row, short, long, fc.array(fc.string(), { maxLength: 10 }), fc.anything())
    fc.assert(
      fc.property(candidates, (v) => {
        expect(isVmRow(v)).toBe(VmRowTuple.safeParse(v).success)
      }),
      { numRuns: 2000 },
    )
  })

  it('the status field is text of at most 1,000 characters, like the other text fields', () => {
    const row = (status: unknown): unknown[] => ['vm-1', 'web-01', 1, '', '', '', '', 0, status]
    expect(isVmRow(row(''))).toBe(true)
    expect(isVmRow(row('ACTIVE · powering-off'))).toBe(true)
    expect(isVmRow(row('x'.repeat(1000)))).toBe(true)
    expect(isVmRow(row('x'.repeat(1001)))).toBe(false)
    expect(isVmRow(row(0))).toBe(false)
    expect(isVmRow(row(undefined))).toBe(false)
  })

  it('a batch with a row that has an extra field, or an index past its strings, is refused by the event schema', () => {
    const schema = inventoryEvents['inventory.rows'].payload
    const strings = ['esx-01', 'DC/Web', '', 'POWERED_ON']
    const good = ['vm-1', 'web-01', 1, 0, 1, 2, '', 0, 3]
    const batch = (rows: unknown[], extra: object = {}): unknown => ({ connectionId: 'c', provider: 'vsphere', upsert: { strings, rows, ...extra }, remove: [] })
    expect(schema.safeParse(batch([good])).success).toBe(true)
    expect(schema.safeParse(batch([[...good, 'secret']])).success).toBe(false)
    expect(schema.safeParse(batch([good.slice(0, 8)])).success).toBe(false)
    expect(schema.safeParse(batch([['vm-1', 'web-01', 1, 0, 1, 4, '', 0, 3]])).success).toBe(false)
    expect(schema.safeParse(batch([good], { secret: 'x' })).success).toBe(false)
  })
})

/** PackedRows by zod: the reference the hand check is held to. */
const PackedRowsSchema = z
  .strictObject({
    strings: z.array(z.string().max(1000)),
    rows: z.array(z.tuple([z.string().min(1).max(500), z.string().max(1000), z.number().int().min(0).max(3), z.number().int().min(0), z.number().int().min(0), z.number().int().min(0), z.string().max(1000), z.union([z.literal(0), z.literal(1), z.literal(2)]), z.number().int().min(0)])),
  })
  .refine((p) => p.rows.every((r) => [r[3], r[4], r[5], r[8]].every((i) => i < p.strings.length)))

describe('PackedRows', () => {
  const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', 'esx-01', 'POWERED_ON', 'DC/Web'))
  const vmRow = fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), text, fc.integer({ min: 0, max: 3 }), text, text, text, text, fc.constantFrom(0 as const, 1 as const, 2 as const), text)

  it('unpacks to exactly the rows packed, and every packed batch passes its check', () => {
    fc.assert(
      fc.property(fc.array(vmRow, { maxLength: 30 }), (rows) => {
        const packed = packRows(rows)
        expect(isPackedRows(packed)).toBe(true)
        expect(unpackRows(packed)).toEqual(rows)
        // Each distinct text once.
        expect(new Set(packed.strings).size).toBe(packed.strings.length)
      }),
      { numRuns: 500 },
    )
  })

  it('the hand check agrees with the zod reference on batches and near-batches', () => {
    const field = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -1, max: 5 }), fc.constant(1.5), fc.constant(null), fc.string({ minLength: 1001, maxLength: 1001 }))
    const row = fc.oneof(
      fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), fc.integer({ min: -1, max: 4 }), fc.integer({ min: -1, max: 5 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.string({ maxLength: 6 }), fc.integer({ min: -1, max: 3 }), fc.integer({ min: 0, max: 5 })),
      fc.array(field, { minLength: 8, maxLength: 10 }),
    )
    const batch = fc.record({ strings: fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), { maxLength: 5 }), rows: fc.array(row, { maxLength: 4 }) })
    const candidates = fc.oneof(batch, fc.tuple(batch, fc.string()).map(([b, k]) => ({ ...b, [`x${k}`]: 1 })), fc.anything())
    fc.assert(
      fc.property(candidates, (v) => {
        expect(isPackedRows(v)).toBe(PackedRowsSchema.safeParse(v).success)
      }),
      { numRuns: 3000 },
    )
  })

})
