import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { inventoryEvents, isPackedRows, isVmRow, packedCount, packRows, unpackRows, VmRowTuple } from './inventory'

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

  it('a batch with a column longer than the others, an index past its strings or an extra field is refused by the event schema', () => {
    const schema = inventoryEvents['inventory.rows'].payload
    const good = packRows([['vm-1', 'web-01', 1, 'esx-01', 'DC/Web', '', '', 0, 'POWERED_ON']])
    const batch = (upsert: object): unknown => ({ connectionId: 'c', provider: 'vsphere', upsert, remove: [] })
    expect(schema.safeParse(batch(good)).success).toBe(true)
    expect(schema.safeParse(batch({ ...good, names: ['web-01', 'secret'] })).success).toBe(false)
    expect(schema.safeParse(batch({ ...good, status: [good.strings.length] })).success).toBe(false)
    expect(schema.safeParse(batch({ ...good, secret: ['x'] })).success).toBe(false)
    const { ip: _ip, ...withoutIp } = good
    expect(schema.safeParse(batch(withoutIp)).success).toBe(false)
  })
})

/** PackedRows by zod: the reference the hand check is held to. */
const index = z.number().int().min(0)
const PackedRowsSchema = z
  .strictObject({
    strings: z.array(z.string().max(1000)),
    ids: z.array(z.string().min(1).max(500)),
    names: z.array(z.string().max(1000)),
    power: z.array(z.number().int().min(0).max(3)),
    host: z.array(index),
    group: z.array(index),
    guestOs: z.array(index),
    ip: z.array(z.string().max(1000)),
    details: z.array(z.union([z.literal(0), z.literal(1), z.literal(2)])),
    status: z.array(index),
  })
  .refine((p) => [p.names, p.power, p.host, p.group, p.guestOs, p.ip, p.details, p.status].every((c) => c.length === p.ids.length))
  .refine((p) => [p.host, p.group, p.guestOs, p.status].every((c) => c.every((i) => i < p.strings.length)))

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
        expect(packedCount(packed)).toBe(rows.length)
      }),
      { numRuns: 500 },
    )
  })

  it('the hand check agrees with the zod reference on batches and near-batches', () => {
    // Good batches, and good batches with one column swapped for a near-column (a wrong value,
    // a length off by one), a key too many or one missing.
    const good = fc.array(vmRow, { minLength: 1, maxLength: 4 }).map(packRows)
    const value = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -1, max: 5 }), fc.constant(1.5), fc.constant(null), fc.constant(''), fc.string({ minLength: 1001, maxLength: 1001 }))
    const column = fc.array(fc.oneof(value, fc.integer({ min: 0, max: 3 }), fc.constantFrom(0, 1, 2)), { minLength: 1, maxLength: 4 })
    const keys = ['strings', 'ids', 'names', 'power', 'host', 'group', 'guestOs', 'ip', 'details', 'status'] as const
    const swapped = fc.tuple(good, fc.constantFrom(...keys), column).map(([b, k, c]) => ({ ...b, [k]: c }))
    const extra = fc.tuple(good, fc.string()).map(([b, k]) => ({ ...b, [`x${k}`]: [1] }))
    const missing = fc.tuple(good, fc.constantFrom(...keys)).map(([b, k]) => {
      const { [k]: _dropped, ...rest } = b
      return rest
    })
    const candidates = fc.oneof(good, swapped, extra, missing, fc.anything())
    fc.assert(
      fc.property(candidates, (v) => {
        expect(isPackedRows(v)).toBe(PackedRowsSchema.safeParse(v).success)
      }),
      { numRuns: 3000 },
    )
  })

})
