// What a test asks of a call that must fail: the contract error it failed with.
import { PortholeError, type ErrorCode } from '../../contract/errors'

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
