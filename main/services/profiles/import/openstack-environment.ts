// OS_* variables as openstacksdk reads them (reference openstack.md §2.3): every OS_<NAME>
// becomes the key <name> of one extra cloud, named "envvars" unless OS_CLOUD_NAME says
// otherwise, which exists only when some variable other than the selectors is set.
import type { Env } from './candidate'

/** Variables that choose a cloud rather than describe one. */
const SELECTORS = new Set(['OS_CLOUD', 'OS_REGION_NAME', 'OS_CLIENT_CONFIG_FILE', 'OS_CLIENT_SECURE_FILE', 'OS_CLOUD_NAME'])
const IGNORED_PREFIXES = ['OS_TEST', 'OS_STD', 'OS_LOG']

export interface EnvironmentCloud {
  name: string
  cloud: Record<string, unknown>
  /** The variables it was made from (names only: values may be secrets). */
  variables: string[]
}

/** The cloud the OS_* variables form, or undefined when only selectors (or nothing) are set. */
export function environmentCloud(env: Env): EnvironmentCloud | undefined {
  const cloud: Record<string, unknown> = {}
  const variables: string[] = []
  for (const [key, value] of Object.entries(env)) {
    const upper = key.toUpperCase()
    if (value === undefined || !upper.startsWith('OS_') || IGNORED_PREFIXES.some((p) => upper.startsWith(p))) continue
    const name = upper.slice(3).toLowerCase()
    if (name === '' || name === '__proto__') continue
    cloud[name] = value
    variables.push(upper)
  }
  if (!variables.some((v) => !SELECTORS.has(v))) return undefined
  return { name: env.OS_CLOUD_NAME || 'envvars', cloud, variables: variables.sort() }
}

/**
 * The cloud openstacksdk would use by default: the one OS_CLOUD names; without it the
 * environment cloud if there is one, or the only cloud when exactly one is defined.
 */
export function defaultCloudName(env: Env, fileClouds: readonly string[], envCloud: string | undefined): string | undefined {
  if (env.OS_CLOUD) return env.OS_CLOUD
  if (envCloud !== undefined) return envCloud
  return fileClouds.length === 1 ? fileClouds[0] : undefined
}
