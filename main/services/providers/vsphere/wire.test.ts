import { describe, expect, it } from 'vitest'
import { PortholeError } from '../../../../contract/errors'
import { isVmSummary, readVmList, VmSummary } from './wire'

describe('readVmList', () => {
  it('passes a well-formed list through as is (no copy), unknown fields and missing optional ones included', () => {
    const list = [
      { vm: 'vm-1', name: 'a', power_state: 'POWERED_ON', cpu_count: 2, memory_size_MiB: 4096, extra: true },
      { vm: 'vm-2', name: 'b', power_state: 'POWERED_OFF' },
    ]
    expect(readVmList(list)).toBe(list)
  })

  it.each([
    ['not a list', { value: [] }],
    ['a number id', [{ vm: 7, name: 'a', power_state: 'POWERED_ON' }]],
    ['no power state', [{ vm: 'vm-1', name: 'a' }]],
    ['a string cpu count', [{ vm: 'vm-1', name: 'a', power_state: 'POWERED_ON', cpu_count: '2' }]],
    ['a null entry', [null]],
  ])('refuses %s with PROVIDER_ERROR naming the call', (_what, value) => {
    let thrown: unknown
    try {
      readVmList(value)
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(PortholeError)
    expect((thrown as PortholeError).code).toBe('PROVIDER_ERROR')
    expect((thrown as PortholeError).message).toContain('the VM list')
  })

  it('agrees with the VmSummary schema on generated entries', () => {
    const samples: unknown[] = [
      { vm: 'v', name: 'n', power_state: 'SUSPENDED' },
      { vm: 'v', name: 'n', power_state: 'SUSPENDED', cpu_count: undefined },
      { vm: 'v', name: 1, power_state: 'SUSPENDED' },
      { vm: 'v', name: 'n', power_state: 'SUSPENDED', memory_size_MiB: null },
      { vm: 'v', name: 'n', power_state: 'SUSPENDED', memory_size_MiB: 12 },
      'vm-1',
      [],
    ]
    for (const s of samples) expect(isVmSummary(s), JSON.stringify(s)).toBe(VmSummary.safeParse(s).success)
  })
})
