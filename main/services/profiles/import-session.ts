// Import previews: what a source found, shown to the user with conflicts and held in main
// (secrets included) for ten minutes; then applied once, with the user's decision for
// every item. Nothing is written until every item has a decision, and then in one write.
import crypto from 'node:crypto'
import { PortholeError } from '../../../contract/errors'
import type {
  ProfileImportApplyResult,
  ProfileImportDecision,
  ProfileImportItem,
  ProfileImportPreview,
} from '../../../contract/profiles'
import type { CandidateSet, ImportCandidate } from './import/candidate'
import { endpointUserKey, sameName, toSummary, uniqueName, type StoredProfile } from './profile-records'
import type { ProfileService } from './profile-service'

export const PREVIEW_TTL_MS = 10 * 60 * 1000
/** Previews hold secrets: keep only a few, the newest. */
const MAX_PREVIEWS = 8

interface HeldItem {
  key: string
  candidate: ImportCandidate
  conflictWith?: string
}

interface HeldPreview {
  expiresAt: number
  items: HeldItem[]
}

export interface ImportSessionsOptions {
  profiles: ProfileService
  now?: () => number
  ttlMs?: number
}

export interface ImportSessions {
  /** Holds what a source found and describes it for the renderer (no secrets), with conflicts. */
  preview(found: CandidateSet): ProfileImportPreview
  /** Applies a preview; every item needs a decision. The preview is used up on success. */
  apply(previewId: string, decisions: Readonly<Record<string, ProfileImportDecision>>): Promise<ProfileImportApplyResult>
  /** Forgets every preview (the vault locked: the secrets they hold must go too). */
  clear(): void
}

/** The existing profile an incoming one collides with: same name first, then same endpoint and user. */
function findConflict(
  candidate: ImportCandidate,
  existing: readonly StoredProfile[],
): { id: string; reason: 'same-name' | 'same-endpoint-user' } | undefined {
  const byName = existing.find((p) => sameName(p.fields.name, candidate.fields.name))
  if (byName) return { id: byName.id, reason: 'same-name' }
  const key = endpointUserKey(candidate.fields)
  const byEndpoint = existing.find((p) => endpointUserKey(p.fields) === key)
  return byEndpoint ? { id: byEndpoint.id, reason: 'same-endpoint-user' } : undefined
}

function invalid(message: string, detail?: Record<string, unknown>): PortholeError {
  return new PortholeError('INVALID_INPUT', message, detail ? { detail } : {})
}

export function createImportSessions(options: ImportSessionsOptions): ImportSessions {
  const now = options.now ?? Date.now
  const ttl = options.ttlMs ?? PREVIEW_TTL_MS
  const held = new Map<string, HeldPreview>()

  function sweep(): void {
    const t = now()
    for (const [id, preview] of held) if (preview.expiresAt <= t) held.delete(id)
  }

  return {
    preview(found) {
      sweep()
      const existing = options.profiles.profiles()
      const items: HeldItem[] = []
      const described: ProfileImportItem[] = []
      found.candidates.forEach((candidate, index) => {
        const key = `item-${index + 1}`
        const conflict = findConflict(candidate, existing)
        const item: HeldItem = { key, candidate }
        const shown: ProfileImportItem = {
          key,
          profile: candidate.fields,
          hasSecret: candidate.secret !== undefined,
          notes: [...candidate.notes],
        }
        if (conflict) {
          item.conflictWith = conflict.id
          shown.conflictWith = conflict.id
          shown.conflictReason = conflict.reason
        }
        items.push(item)
        described.push(shown)
      })
      const previewId = crypto.randomUUID()
      const expiresAt = now() + ttl
      held.set(previewId, { expiresAt, items })
      while (held.size > MAX_PREVIEWS) held.delete(held.keys().next().value as string)
      return {
        previewId,
        expiresAt: new Date(expiresAt).toISOString(),
        items: described,
        skipped: found.skipped,
        sources: found.sources,
      }
    },

    async apply(previewId, decisions) {
      sweep()
      const preview = held.get(previewId)
      if (!preview) throw new PortholeError('NOT_FOUND', 'This import preview has expired or was already applied; preview the import again.')
      const keys = new Set(preview.items.map((i) => i.key))
      const missing = preview.items.filter((i) => !Object.hasOwn(decisions, i.key)).map((i) => i.key)
      const unknown = Object.keys(decisions).filter((k) => !keys.has(k))
      if (missing.length > 0 || unknown.length > 0) {
        throw invalid('Every item of the preview needs a decision (skip, add or replace), and only those.', { missing, unknown })
      }
      const cannotReplace = preview.items.filter((i) => decisions[i.key] === 'replace' && i.conflictWith === undefined).map((i) => i.key)
      if (cannotReplace.length > 0) throw invalid('Only an item that conflicts with a profile can replace it.', { keys: cannotReplace })

      if (preview.items.every((i) => decisions[i.key] === 'skip')) {
        held.delete(previewId)
        const results = preview.items.map((i) => ({ key: i.key, outcome: 'skipped' as const }))
        return { results, profiles: options.profiles.list() }
      }
      const outcome = await options.profiles.mutate((current, at) => {
        const next = [...current]
        const results: ProfileImportApplyResult['results'] = []
        for (const item of preview.items) {
          const decision = decisions[item.key]
          if (decision === 'skip') {
            results.push({ key: item.key, outcome: 'skipped' })
            continue
          }
          const { candidate } = item
          if (decision === 'replace') {
            const index = next.findIndex((p) => p.id === item.conflictWith)
            const target = next[index]
            if (!target) throw new PortholeError('CONFLICT', 'A profile this import would replace was deleted meanwhile; preview the import again.')
            const others = next.filter((p) => p.id !== target.id).map((p) => p.fields.name)
            const replaced: StoredProfile = {
              id: target.id,
              fields: { ...candidate.fields, name: uniqueName(candidate.fields.name, others) },
              createdAt: target.createdAt,
              updatedAt: at,
            }
            // Like an edit, a replace without a secret keeps the stored one rather than losing it.
            const secret = candidate.secret ?? target.secret
            if (secret !== undefined) replaced.secret = secret
            next[index] = replaced
            results.push({ key: item.key, outcome: 'replaced', id: replaced.id, name: replaced.fields.name })
            continue
          }
          // 'add': keep both, under a free name.
          const added: StoredProfile = {
            id: crypto.randomUUID(),
            fields: { ...candidate.fields, name: uniqueName(candidate.fields.name, next.map((p) => p.fields.name)) },
            createdAt: at,
            updatedAt: at,
          }
          if (candidate.secret !== undefined) added.secret = candidate.secret
          next.push(added)
          results.push({ key: item.key, outcome: 'added', id: added.id, name: added.fields.name })
        }
        return { next, result: { results, profiles: next.map(toSummary) } }
      })
      held.delete(previewId)
      return outcome
    },

    clear() {
      held.clear()
    },
  }
}
