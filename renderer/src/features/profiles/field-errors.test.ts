import { describe, expect, it } from 'vitest'
import { PortholeError } from '../../../../contract/errors'
import { ProfileInput } from '../../../../contract/profiles'
import { errorsFromFailure, errorsFromIssues, fieldOfPath } from './field-errors'

const FIELDS = new Set(['name', 'endpoint', 'user', 'secret', 'caFile', 'projectName', 'port', 'host', 'applicationCredentialId'])

describe('field errors', () => {
  it('maps add and update paths onto the same fields', () => {
    expect(fieldOfPath('name')).toBe('name')
    expect(fieldOfPath('patch.name')).toBe('name')
    expect(fieldOfPath('trust.caFile')).toBe('caFile')
    expect(fieldOfPath('patch.trust.mode')).toBe('trust')
    expect(fieldOfPath('clearSecret')).toBe('secret')
  })

  it('puts INVALID_INPUT issues on their fields in readable words', () => {
    const err = new PortholeError('INVALID_INPUT', 'Invalid request for profiles.add.', {
      detail: {
        issues: [
          { path: 'endpoint', message: 'Invalid URL' },
          { path: 'name', message: 'Too small: expected string to have >=1 characters' },
          { path: 'weird', message: 'Something else' },
        ],
      },
    })
    const result = errorsFromFailure(err, FIELDS)
    expect(result.fields['endpoint']).toMatch(/https:\/\//)
    expect(result.fields['name']).toBe('Required.')
    expect(result.form).toBe('weird: Something else')
  })

  it('keeps the first message per field', () => {
    const result = errorsFromIssues(
      [
        { path: 'user', message: 'first' },
        { path: 'user', message: 'second' },
      ],
      FIELDS,
    )
    expect(result).toEqual({ fields: { user: 'first' } })
  })

  it('shows CONFLICT on the name field', () => {
    const err = new PortholeError('CONFLICT', 'A profile named "lab" already exists.', { detail: { field: 'name' } })
    expect(errorsFromFailure(err, FIELDS)).toEqual({ fields: { name: 'A profile named "lab" already exists.' } })
  })

  it('shows other failures over the form with their code', () => {
    expect(errorsFromFailure(new PortholeError('VAULT_LOCKED', 'The vault is locked.'), FIELDS)).toEqual({
      fields: {},
      form: 'The vault is locked. (VAULT_LOCKED)',
    })
  })

  it('reads the contract’s own issues for an OpenStack profile without a project', () => {
    const parsed = ProfileInput.safeParse({
      kind: 'openstack',
      name: 'cloud',
      endpoint: 'https://keystone.example.com:5000/v3',
      trust: { mode: 'system' },
      authType: 'password',
      user: 'alice',
      secret: 'pw',
    })
    expect(parsed.success).toBe(false)
    const issues = parsed.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
    expect(errorsFromIssues(issues, FIELDS).fields['projectName']).toMatch(/needs a project/)
  })
})
