// What the provider tests against the labs ask of a provider call: every VM of a listing, or
// the contract error a call failed with.
import { PortholeError, type ErrorCode } from '../../contract/errors'
import type { Vm } from '../../contract/inventory'
import type { VmPage } from '../../main/services/providers/provider'

/** Every VM of a provider's listing, page after page. */
export async function listAll(p: { listVms(signal: AbortSignal): AsyncIterable<VmPage> }, signal = new AbortController().signal): Promise<Vm[]> {
  const out: Vm[] = []
  for await (const page of p.listVms(signal)) out.push(...page.vms)
  return out
}

/** The PortholeError the call failed with; anything else (success, another error) fails the test. */
export async function errorOf(promise: Promise<unknown>): Promise<PortholeError> {
  try {
    await promise
  } catch (err) {
    if (err instanceof PortholeError) return err
    throw err
  }
  throw new Error('expected a PortholeError')
}

/** The contract code the call failed with, or 'none' when it succeeded. */
export async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | 'none'> {
  try {
    await promise
    return 'none'
  } catch (err) {
    if (err instanceof PortholeError) return err.code
    throw err
  }
}
