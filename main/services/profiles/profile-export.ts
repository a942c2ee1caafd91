// What goes inside an export file, and the export/import of it. The file holds the profiles'
// fields and secrets, no ids or timestamps: importing creates new profiles (or replaces
// existing ones the user chose), with ids of this workstation.
import { z } from 'zod'
import { PortholeError } from '../../../contract/errors'
import { ProfileFields, ProfileSecret, type ProfileExportFile } from '../../../contract/profiles'
import { EXPORT_KDF, openExport, sealExport, type KdfParams } from './export-file'
import type { CandidateSet, ImportCandidate } from './import/candidate'
import type { ProfileService } from './profile-service'

const ExportedProfile = z.strictObject({ fields: ProfileFields, secret: ProfileSecret.optional() })

const ExportPayload = z.strictObject({
  kind: z.literal('porthole-profiles'),
  exportedAt: z.iso.datetime(),
  // Checked one by one below, so one bad entry does not sink the rest.
  profiles: z.array(z.unknown()).max(10_000),
})

export interface ProfileExportOptions {
  profiles: ProfileService
  kdf?: KdfParams
  now?: () => Date
}

export interface ProfileExport {
  /** Encrypts the chosen profiles, secrets included, under `password`; NOT_FOUND if an id is unknown. */
  exportProfiles(ids: readonly string[], password: string): Promise<ProfileExportFile>
  /** Decrypts an export (its JSON text, or base64 of its bytes) into import candidates. */
  readExport(content: string, password: string): Promise<CandidateSet>
}

/** The file's bytes from what the renderer read: JSON text as is, anything else as base64. */
function fileBytes(content: string): Buffer {
  const trimmed = content.trim()
  if (trimmed.startsWith('{')) return Buffer.from(trimmed, 'utf8')
  const compact = trimmed.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw new PortholeError('FILE_DAMAGED', 'This is not a Porthole export file.')
  return Buffer.from(compact, 'base64')
}

export function createProfileExport(options: ProfileExportOptions): ProfileExport {
  const kdf = options.kdf ?? EXPORT_KDF
  const now = options.now ?? (() => new Date())
  return {
    async exportProfiles(ids, password) {
      const all = options.profiles.profiles()
      const chosen = [...new Set(ids)].map((id) => {
        const found = all.find((p) => p.id === id)
        if (!found) throw new PortholeError('NOT_FOUND', 'There is no such profile.', { detail: { id } })
        return found
      })
      const at = now()
      const payload = {
        kind: 'porthole-profiles',
        exportedAt: at.toISOString(),
        profiles: chosen.map((p) => (p.secret === undefined ? { fields: p.fields } : { fields: p.fields, secret: p.secret })),
      } satisfies z.input<typeof ExportPayload>
      const plaintext = Buffer.from(JSON.stringify(payload), 'utf8')
      try {
        const file = await sealExport(plaintext, password, kdf)
        return {
          fileName: `porthole-profiles-${at.toISOString().slice(0, 10)}.json`,
          bytes: file.length,
          data: file.toString('base64'),
        }
      } finally {
        plaintext.fill(0)
      }
    },

    async readExport(content, password) {
      const plaintext = await openExport(fileBytes(content), password)
      let raw: unknown
      try {
        raw = JSON.parse(plaintext.toString('utf8'))
      } catch {
        raw = undefined
      } finally {
        plaintext.fill(0)
      }
      const payload = ExportPayload.safeParse(raw)
      if (!payload.success) throw new PortholeError('FILE_DAMAGED', 'The export decrypted, but its contents are not profiles Porthole can read.')
      const set: CandidateSet = { candidates: [], skipped: [], sources: [`Porthole export of ${payload.data.exportedAt}`] }
      payload.data.profiles.forEach((entry, index) => {
        const parsed = ExportedProfile.safeParse(entry)
        if (!parsed.success) {
          set.skipped.push({ name: `profile ${index + 1}`, reason: 'This entry is not a valid profile.' })
          return
        }
        const candidate: ImportCandidate = { fields: parsed.data.fields, notes: [] }
        if (parsed.data.secret !== undefined) candidate.secret = parsed.data.secret
        set.candidates.push(candidate)
      })
      return set
    },
  }
}
