import { describe, expect, it } from 'vitest'
import { PortholeError } from '../../../../contract/errors'
import { authBody, selectEndpoint, tokensUrl } from './keystone'
import type { CatalogEntry } from './wire'

describe('Keystone auth bodies', () => {
  it('password by name with domains, scoped to a project by name', () => {
    expect(authBody({ method: 'password', username: 'alice', userDomainName: 'Corp', password: 's', projectName: 'demo' })).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'alice', domain: { name: 'Corp' }, password: 's' } } },
        // The project's domain defaults to the user's.
        scope: { project: { name: 'demo', domain: { name: 'Corp' } } },
      },
    })
  })

  it('password by ids needs no domains; without any domain the default one is used', () => {
    expect(authBody({ method: 'password', userId: 'u1', password: 's', projectId: 'p1' })).toEqual({
      auth: { identity: { methods: ['password'], password: { user: { id: 'u1', password: 's' } } }, scope: { project: { id: 'p1' } } },
    })
    const body = authBody({ method: 'password', username: 'a', password: 's', projectName: 'p', projectDomainId: 'd9' }) as {
      auth: { identity: { password: { user: unknown } }; scope: unknown }
    }
    expect(body.auth.identity.password.user).toEqual({ name: 'a', domain: { id: 'default' }, password: 's' })
    expect(body.auth.scope).toEqual({ project: { name: 'p', domain: { id: 'd9' } } })
  })

  it('application credentials never carry a scope', () => {
    expect(authBody({ method: 'application-credential', id: 'ac', secret: 'x' })).toEqual({
      auth: { identity: { methods: ['application_credential'], application_credential: { id: 'ac', secret: 'x' } } },
    })
    expect(authBody({ method: 'application-credential', name: 'mon', username: 'bob', secret: 'x' })).toEqual({
      auth: {
        identity: { methods: ['application_credential'], application_credential: { name: 'mon', secret: 'x', user: { name: 'bob', domain: { id: 'default' } } } },
      },
    })
  })

  it('refuses what Keystone could not answer', () => {
    expect(() => authBody({ method: 'password', username: 'a', password: 's' })).toThrow(PortholeError)
    expect(() => authBody({ method: 'application-credential', secret: 'x' })).toThrow(/id, or its name/)
  })

  it('adds /v3 to an auth URL without it', () => {
    expect(tokensUrl('https://k:5000')).toBe('https://k:5000/v3/auth/tokens')
    expect(tokensUrl('https://k/identity/v3/')).toBe('https://k/identity/v3/auth/tokens')
  })
})

describe('catalog endpoint selection', () => {
  const catalog: CatalogEntry[] = [
    {
      type: 'compute',
      endpoints: [
        { interface: 'public', region: 'RegionOne', region_id: 'RegionOne', url: 'https://a/v2.1/' },
        { interface: 'internal', region: 'RegionOne', region_id: 'RegionOne', url: 'https://a-int/v2.1' },
        { interface: 'public', region_id: 'RegionTwo', url: 'https://b/v2.1/p1' },
        { interface: 'public', region: 'Old', url: 'https://c/v2.1' },
      ],
    },
  ]
  it('picks by interface and region (region_id or region)', () => {
    expect(selectEndpoint(catalog, 'compute', 'public', undefined)).toEqual({ url: 'https://a/v2.1', region: 'RegionOne' })
    expect(selectEndpoint(catalog, 'compute', 'internal', 'RegionOne').url).toBe('https://a-int/v2.1')
    expect(selectEndpoint(catalog, 'compute', 'public', 'RegionTwo').url).toBe('https://b/v2.1/p1')
    expect(selectEndpoint(catalog, 'compute', 'public', 'Old').url).toBe('https://c/v2.1')
  })
  it('says what exists when nothing matches', () => {
    expect(() => selectEndpoint(catalog, 'compute', 'admin', 'RegionTwo')).toThrow('no admin compute endpoint in region RegionTwo (regions: RegionOne, RegionTwo, Old)')
    expect(() => selectEndpoint(catalog, 'image', 'public', undefined)).toThrow('no image service')
  })
})
