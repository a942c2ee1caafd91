import { beforeEach, describe, expect, it } from 'vitest'
import { errorOf } from '../../../test/helpers/error-of'
import { ProfileFields, ProfileInput } from '../../../contract/profiles'
import { memoryLog } from '../log/log'
import { memorySecretStore } from '../vault/secret-store'
import { createConnectionTesters } from './connection-testers'
import type { CandidateSet, ImportCandidate } from './import/candidate'
import { createImportSessions, PREVIEW_TTL_MS, type ImportSessions } from './import-session'
import { createProfileService, type ProfileService } from './profile-service'

let service: ProfileService
let sessions: ImportSessions
let clock: number
let existing: { id: string }

function candidate(fields: Record<string, unknown>, secret?: string, notes: string[] = []): ImportCandidate {
  const c: ImportCandidate = { fields: ProfileFields.parse(fields), notes }
  if (secret !== undefined) c.secret = secret
  return c
}

const vc = (name: string, endpoint: string, user: string) => ({ kind: 'vsphere', name, endpoint, user, trust: { mode: 'system' } })

function set(...candidates: ImportCandidate[]): CandidateSet {
  return { candidates, skipped: [{ name: 'x', reason: 'why' }], sources: ['here'] }
}

beforeEach(async () => {
  clock = Date.parse('2026-03-01T10:00:00Z')
  service = createProfileService({ store: memorySecretStore(), log: memoryLog(), testers: createConnectionTesters(), onChange: () => {} })
  sessions = createImportSessions({ profiles: service, now: () => clock })
  existing = await service.add(ProfileInput.parse({ ...vc('Prod VC', 'https://vc.example.test', 'root'), secret: 'old-secret' }))
})

describe('preview', () => {
  it('shows every candidate without its secret, with notes, skipped entries and sources', () => {
    const preview = sessions.preview(set(candidate(vc('New VC', 'https://other.example.test', 'root'), 'new-secret', ['a note'])))
    expect(preview.items).toEqual([
      { key: 'item-1', profile: expect.objectContaining({ name: 'New VC' }), hasSecret: true, notes: ['a note'] },
    ])
    expect(JSON.stringify(preview)).not.toContain('new-secret')
    expect(preview.skipped).toEqual([{ name: 'x', reason: 'why' }])
    expect(preview.sources).toEqual(['here'])
    expect(Date.parse(preview.expiresAt) - clock).toBe(PREVIEW_TTL_MS)
  })

  it('marks a conflict on the same name (any case), or on the same endpoint and user', () => {
    const preview = sessions.preview(
      set(
        candidate(vc('prod vc', 'https://elsewhere.example.test', 'x')),
        candidate(vc('Other name', 'https://VC.example.test/', 'ROOT')),
        candidate(vc('Different user', 'https://vc.example.test', 'admin')),
      ),
    )
    expect(preview.items.map((i) => [i.conflictWith, i.conflictReason])).toEqual([
      [existing.id, 'same-name'],
      [existing.id, 'same-endpoint-user'],
      [undefined, undefined],
    ])
  })
})

describe('apply', () => {
  it('needs a decision for every item, and refuses unknown keys, before writing anything', async () => {
    const preview = sessions.preview(set(candidate(vc('A', 'https://a.example.test', 'u')), candidate(vc('B', 'https://b.example.test', 'u'))))
    const missing = await errorOf(sessions.apply(preview.previewId, { 'item-1': 'add' }))
    expect(missing.code).toBe('INVALID_INPUT')
    expect(missing.detail).toMatchObject({ missing: ['item-2'] })
    const unknown = await errorOf(sessions.apply(preview.previewId, { 'item-1': 'add', 'item-2': 'add', 'item-9': 'skip' }))
    expect(unknown.detail).toMatchObject({ unknown: ['item-9'] })
    expect(service.list()).toHaveLength(1)
    // The preview is still there to apply properly.
    await sessions.apply(preview.previewId, { 'item-1': 'add', 'item-2': 'skip' })
    expect(service.list().map((p) => p.name)).toEqual(['Prod VC', 'A'])
  })

  it('refuses replace for an item without a conflict', async () => {
    const preview = sessions.preview(set(candidate(vc('A', 'https://a.example.test', 'u'))))
    expect((await errorOf(sessions.apply(preview.previewId, { 'item-1': 'replace' }))).code).toBe('INVALID_INPUT')
  })

  it('skip leaves the existing profile alone; replace keeps its id and creation time and takes the new secret', async () => {
    const preview = sessions.preview(set(candidate(vc('Prod VC', 'https://new.example.test', 'admin'), 'new-secret')))
    const skipped = sessions.preview(set(candidate(vc('Prod VC', 'https://new.example.test', 'admin'), 'new-secret')))
    const r1 = await sessions.apply(skipped.previewId, { 'item-1': 'skip' })
    expect(r1.results).toEqual([{ key: 'item-1', outcome: 'skipped' }])
    expect(service.profile(existing.id).secret).toBe('old-secret')

    const before = service.get(existing.id)
    clock += 1000
    const r2 = await sessions.apply(preview.previewId, { 'item-1': 'replace' })
    expect(r2.results).toEqual([{ key: 'item-1', outcome: 'replaced', id: existing.id, name: 'Prod VC' }])
    const after = service.profile(existing.id)
    expect(after.fields).toMatchObject({ endpoint: 'https://new.example.test', user: 'admin' })
    expect(after.secret).toBe('new-secret')
    expect(after.createdAt).toBe(before.createdAt)
    expect(service.list()).toHaveLength(1)
  })

  it('replace keeps the stored secret when the import has none', async () => {
    const preview = sessions.preview(set(candidate(vc('Prod VC', 'https://vc.example.test', 'admin'))))
    await sessions.apply(preview.previewId, { 'item-1': 'replace' })
    expect(service.profile(existing.id)).toMatchObject({ fields: { user: 'admin' }, secret: 'old-secret' })
  })

  it('keeps both under a free name when told to add a conflicting item', async () => {
    const preview = sessions.preview(set(candidate(vc('Prod VC', 'https://vc.example.test', 'root'), 'other')))
    const result = await sessions.apply(preview.previewId, { 'item-1': 'add' })
    expect(result.results[0]).toMatchObject({ outcome: 'added', name: 'Prod VC (2)' })
    expect(service.list().map((p) => p.name)).toEqual(['Prod VC', 'Prod VC (2)'])
    expect(result.profiles).toHaveLength(2)
    expect(JSON.stringify(result)).not.toContain('other"')
  })

  it('renames items of one import that clash with each other', async () => {
    const preview = sessions.preview(set(candidate(vc('Twin', 'https://a.example.test', 'u')), candidate(vc('twin', 'https://b.example.test', 'u'))))
    await sessions.apply(preview.previewId, { 'item-1': 'add', 'item-2': 'add' })
    expect(service.list().map((p) => p.name)).toEqual(['Prod VC', 'Twin', 'twin (2)'])
  })

  it('is single use, and expires after ten minutes', async () => {
    const once = sessions.preview(set(candidate(vc('A', 'https://a.example.test', 'u'))))
    await sessions.apply(once.previewId, { 'item-1': 'add' })
    expect((await errorOf(sessions.apply(once.previewId, { 'item-1': 'add' }))).code).toBe('NOT_FOUND')

    const late = sessions.preview(set(candidate(vc('B', 'https://b.example.test', 'u'))))
    clock += PREVIEW_TTL_MS
    expect((await errorOf(sessions.apply(late.previewId, { 'item-1': 'add' }))).code).toBe('NOT_FOUND')
  })

  it('forgets every preview on clear (the vault locked)', async () => {
    const preview = sessions.preview(set(candidate(vc('A', 'https://a.example.test', 'u'))))
    sessions.clear()
    expect((await errorOf(sessions.apply(preview.previewId, { 'item-1': 'add' }))).code).toBe('NOT_FOUND')
  })

  it('fails with CONFLICT, writing nothing, when the profile to replace was deleted meanwhile', async () => {
    const preview = sessions.preview(
      set(candidate(vc('New', 'https://n.example.test', 'u')), candidate(vc('Prod VC', 'https://vc.example.test', 'root'))),
    )
    await service.remove(existing.id)
    expect((await errorOf(sessions.apply(preview.previewId, { 'item-1': 'add', 'item-2': 'replace' }))).code).toBe('CONFLICT')
    expect(service.list()).toEqual([])
  })
})
