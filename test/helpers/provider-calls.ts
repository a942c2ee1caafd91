// What the provider tests against the labs ask of a provider: every VM of a listing.
import type { Vm } from '../../contract/inventory'
import { expect } from 'vitest'
import { rowOf } from '../../main/services/inventory/rows'
import type { VmPage } from '../../main/services/providers/provider'

/** Every VM of a provider's listing, page after page. */
export async function listAll(p: { listVms(signal: AbortSignal): AsyncIterable<VmPage> }, signal = new AbortController().signal): Promise<Vm[]> {
  const out: Vm[] = []
  for await (const page of p.listVms(signal)) {
    // A page that also carries rows (VmPage.rows) must say exactly what its Vm objects say.
    if (page.rows) expect(page.rows).toEqual(page.vms.map((vm) => rowOf(vm)))
    out.push(...page.vms)
  }
  return out
}
