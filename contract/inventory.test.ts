import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inventoryEvents, isVmRow, VmRowTuple } from './inventory'

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

  it('a batch with a row that has an extra field is refused by the event schema', () => {
    const schema = inventoryEvents['inventory.rows'].payload
    const good = ['vm-1', 'web-01', 1, 'esx-01', 'DC/Web', '', '', 0, 'POWERED_ON']
    expect(schema.safeParse({ connectionId: 'c', provider: 'vsphere', upsert: [good], remove: [] }).success).toBe(true)
    expect(schema.safeParse({ connectionId: 'c', provider: 'vsphere', upsert: [[...good, 'secret']], remove: [] }).success).toBe(false)
    expect(schema.safeParse({ connectionId: 'c', provider: 'vsphere', upsert: [good.slice(0, 8)], remove: [] }).success).toBe(false)
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
})
