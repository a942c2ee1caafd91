// Keystone v3 requests (reference openstack.md §1): the auth body for a password (user and
// project by name+domain or by id) or an application credential (by id, or by name with its
// user; never with a scope), and choosing an endpoint from the catalog by type, interface and
// region.
import { PortholeError } from '../../../../contract/errors'
import type { CatalogEntry } from './wire'

export type EndpointInterface = 'public' | 'internal' | 'admin'

export type KeystoneCredentials =
  | {
      method: 'password'
      /** User by id, or by name with its domain (default: the domain with id `default`). */
      userId?: string
      username?: string
      userDomainId?: string
      userDomainName?: string
      password: string
      /** Project by id, or by name with its domain (default: the user's domain, else `default`). */
      projectId?: string
      projectName?: string
      projectDomainId?: string
      projectDomainName?: string
    }
  | {
      method: 'application-credential'
      id?: string
      /** By name, the user is needed too. */
      name?: string
      userId?: string
      username?: string
      userDomainId?: string
      userDomainName?: string
      secret: string
    }

function domainOf(id: string | undefined, name: string | undefined): { id: string } | { name: string } | undefined {
  if (id !== undefined) return { id }
  if (name !== undefined) return { name }
  return undefined
}

function userRef(c: { userId?: string; username?: string; userDomainId?: string; userDomainName?: string }): Record<string, unknown> {
  if (c.userId !== undefined) return { id: c.userId }
  if (c.username === undefined) throw new PortholeError('INVALID_INPUT', 'Keystone needs a user name or id.')
  return { name: c.username, domain: domainOf(c.userDomainId, c.userDomainName) ?? { id: 'default' } }
}

/** The body of `POST /v3/auth/tokens`. */
export function authBody(c: KeystoneCredentials): unknown {
  if (c.method === 'application-credential') {
    const ac: Record<string, unknown> = { secret: c.secret }
    if (c.id !== undefined) ac.id = c.id
    else if (c.name !== undefined) {
      ac.name = c.name
      ac.user = userRef(c)
    } else throw new PortholeError('INVALID_INPUT', 'An application credential needs its id, or its name and the user.')
    // Keystone refuses an application credential request that carries a scope (§1.1).
    return { auth: { identity: { methods: ['application_credential'], application_credential: ac } } }
  }
  const user = { ...userRef(c), password: c.password }
  let project: Record<string, unknown>
  if (c.projectId !== undefined) project = { id: c.projectId }
  else if (c.projectName !== undefined) {
    const domain = domainOf(c.projectDomainId, c.projectDomainName) ?? domainOf(c.userDomainId, c.userDomainName) ?? { id: 'default' }
    project = { name: c.projectName, domain }
  } else {
    // An unscoped token has no catalog (§1.1).
    throw new PortholeError('INVALID_INPUT', 'Password login needs a project (name or id).')
  }
  return { auth: { identity: { methods: ['password'], password: { user } }, scope: { project } } }
}

/** `<auth_url>/auth/tokens`, adding `/v3` when the auth URL lacks it (§1.4). */
export function tokensUrl(authUrl: string): string {
  const base = authUrl.replace(/\/+$/, '')
  return /\/v3$/.test(base) ? `${base}/auth/tokens` : `${base}/v3/auth/tokens`
}

export interface ChosenEndpoint {
  url: string
  region: string | undefined
}

/** The endpoint of a service type for an interface, in `region` when one is given. */
export function selectEndpoint(catalog: CatalogEntry[], type: string, iface: EndpointInterface, region: string | undefined): ChosenEndpoint {
  const endpoints = catalog.filter((e) => e.type === type).flatMap((e) => e.endpoints)
  const regionOf = (e: (typeof endpoints)[number]): string | undefined => e.region_id ?? e.region ?? undefined
  const match = endpoints.find((e) => e.interface === iface && (region === undefined || regionOf(e) === region))
  if (match) return { url: match.url.replace(/\/+$/, ''), region: regionOf(match) }
  const regions = [...new Set(endpoints.map(regionOf).filter((r): r is string => r !== undefined))]
  const where = region !== undefined ? ` in region ${region}` : ''
  throw new PortholeError(
    'NOT_FOUND',
    endpoints.length === 0
      ? `The service catalog has no ${type} service.`
      : `The service catalog has no ${iface} ${type} endpoint${where} (regions: ${regions.join(', ') || 'none'}).`,
    { detail: { type, interface: iface, ...(region !== undefined ? { region } : {}), regions } },
  )
}
