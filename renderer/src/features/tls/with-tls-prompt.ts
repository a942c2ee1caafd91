import { PortholeError, isPortholeError } from '../../../../contract/errors'
import { TlsUntrustedDetail } from '../../../../contract/tls'
import { useTlsPrompt } from './prompt-store'

/** The certificate details of a TLS_UNTRUSTED error, or undefined for any other error. */
export function untrustedDetailOf(err: unknown): TlsUntrustedDetail | undefined {
  if (!isPortholeError(err) || err.code !== 'TLS_UNTRUSTED') return undefined
  const parsed = TlsUntrustedDetail.safeParse(err.detail)
  return parsed.success ? parsed.data : undefined
}

/** Thrown when the user looked at a certificate and did not trust it: callers stay quiet about it. */
export function declinedError(): PortholeError {
  return new PortholeError('CANCELLED', 'The certificate was not trusted; nothing was sent to the server.')
}

export interface TlsPromptOptions {
  /** The profile's name for the prompt's title. */
  profileName?: string | undefined
  /** How to ask; the default shows the TLS prompt dialog (tests pass their own). */
  ask?: (profileId: string, detail: TlsUntrustedDetail, profileName?: string) => Promise<boolean>
}

/**
 * Runs `fn` (a call that connects to the profile's server: test connection, inventory connect).
 * If it fails with TLS_UNTRUSTED, shows the certificate; once the user trusted it (the prompt
 * calls tls.trust), runs `fn` once more. A second refusal is thrown as is (no prompt loop); a
 * declined prompt throws CANCELLED.
 */
export async function withTlsPrompt<T>(profileId: string, fn: () => Promise<T>, options: TlsPromptOptions = {}): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    const detail = untrustedDetailOf(err)
    if (!detail) throw err
    const ask = options.ask ?? useTlsPrompt.getState().ask
    const trusted = await ask(profileId, detail, options.profileName)
    if (!trusted) throw declinedError()
    return fn()
  }
}
