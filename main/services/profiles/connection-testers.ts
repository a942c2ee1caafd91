import type { ProfileKind } from '../../../contract/profiles'
import type { StoredProfile } from './profile-records'

/** Checks that a profile can log in. Providers register one per kind; errors are PortholeErrors. */
export interface ConnectionTester {
  /** Logs in (and out) with the profile; resolves with a display line such as "vCenter 8.0.2 as alice". */
  test(profile: StoredProfile, signal: AbortSignal): Promise<{ message: string }>
}

/** The seam between profiles and providers: the profiles service asks here, providers register here. */
export interface ConnectionTesters {
  /** Registers the tester for a kind (replacing any earlier one); returns the function that removes it. */
  register(kind: ProfileKind, tester: ConnectionTester): () => void
  get(kind: ProfileKind): ConnectionTester | undefined
}

export function createConnectionTesters(): ConnectionTesters {
  const testers = new Map<ProfileKind, ConnectionTester>()
  return {
    register(kind, tester) {
      testers.set(kind, tester)
      return () => {
        if (testers.get(kind) === tester) testers.delete(kind)
      }
    },
    get: (kind) => testers.get(kind),
  }
}
