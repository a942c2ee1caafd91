import type { Handlers } from '../../../contract/serve'
import type { tlsCalls } from '../../../contract/tls'
import type { TrustStore } from './trust-store'

/** Binds the trust store to the contract's tls.* calls. */
export function tlsHandlers(store: TrustStore): Handlers<typeof tlsCalls> {
  return {
    'tls.trust': async ({ profileId, host, port, fingerprint256, replace }) => {
      await store.trust(profileId, host, port, fingerprint256, replace === undefined ? {} : { replace })
      return { ok: true as const }
    },
    'tls.pins': ({ profileId }) => ({ pins: store.pins(profileId) }),
    'tls.forget': async ({ profileId, host, port }) => ({ removed: await store.forget(profileId, host, port) }),
  }
}
