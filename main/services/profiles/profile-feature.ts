import os from 'node:os'
import type { ProfileImportSource, ProfileList, profileCalls } from '../../../contract/profiles'
import type { Handlers } from '../../../contract/serve'
import type { Log } from '../log/log'
import type { SecretStore } from '../vault/secret-store'
import { createConnectionTesters, type ConnectionTesters } from './connection-testers'
import type { KdfParams } from './export-file'
import type { CandidateSet, Env } from './import/candidate'
import type { SearchContext } from './import/clouds-files'
import { readCloudsYamlText, readDefaultCloudsYaml, readEnvironment } from './import/import-sources'
import { createImportSessions } from './import-session'
import { createProfileExport } from './profile-export'
import { createProfileService, type ProfileService } from './profile-service'

export interface ProfileFeatureOptions {
  store: SecretStore
  log: Log
  /** Publishes `profiles.changed`. */
  onChange: (list: ProfileList) => void
  /** The log redactor's addSecret: every secret this feature touches is registered. */
  onSecret?: (secret: string) => void
  /** Where imports look; the defaults are this process's own environment. */
  env?: Env
  platform?: NodeJS.Platform
  homeDir?: string
  cwd?: string
  /** Export cost; production leaves this out (EXPORT_KDF). */
  exportKdf?: KdfParams
  now?: () => Date
  /** After a profile is deleted (the TLS trust store forgets its pins here). */
  onRemoved?: (id: string) => Promise<unknown> | void
}

/** What the host may set from outside: tests point imports at temp dirs and make exports cheap. */
export type ProfileHostOptions = Pick<ProfileFeatureOptions, 'env' | 'platform' | 'homeDir' | 'cwd' | 'exportKdf'>

export interface ProfileFeature {
  service: ProfileService
  /** Providers register their connection testers here. */
  testers: ConnectionTesters
  handlers: Handlers<typeof profileCalls>
  dispose(): void
}

/** Profiles, their import and export, bound to the contract's profiles.* calls. */
export function createProfileFeature(options: ProfileFeatureOptions): ProfileFeature {
  const testers = createConnectionTesters()
  const secret = (s: string): void => options.onSecret?.(s)
  const service = createProfileService({
    store: options.store,
    log: options.log,
    testers,
    onChange: options.onChange,
    onSecret: secret,
    ...(options.now ? { now: options.now } : {}),
    ...(options.onRemoved ? { onRemoved: options.onRemoved } : {}),
  })
  const exporter = createProfileExport({
    profiles: service,
    ...(options.exportKdf ? { kdf: options.exportKdf } : {}),
    ...(options.now ? { now: options.now } : {}),
  })
  const nowDate = options.now
  const sessions = createImportSessions({ profiles: service, ...(nowDate ? { now: () => nowDate().getTime() } : {}) })
  // Previews hold secrets: they go when the vault locks.
  const stopListening = options.store.onLock(() => sessions.clear())

  const searchContext = (): SearchContext => ({
    env: options.env ?? process.env,
    platform: options.platform ?? process.platform,
    homeDir: options.homeDir ?? os.homedir(),
    cwd: options.cwd ?? process.cwd(),
  })

  async function read(source: ProfileImportSource): Promise<CandidateSet> {
    switch (source.source) {
      case 'clouds-yaml-default':
        return readDefaultCloudsYaml(searchContext())
      case 'clouds-yaml-text':
        return readCloudsYamlText(source.text, source.secureText)
      case 'environment':
        return readEnvironment(searchContext())
      case 'porthole-export':
        secret(source.password)
        return exporter.readExport(source.content, source.password)
    }
  }

  const handlers: Handlers<typeof profileCalls> = {
    'profiles.list': () => ({ profiles: service.list() }),
    'profiles.get': ({ id }) => service.get(id),
    'profiles.add': (input) => service.add(input),
    'profiles.update': ({ id, patch }) => service.update(id, patch),
    'profiles.duplicate': ({ id }) => service.duplicate(id),
    'profiles.delete': async ({ id }) => {
      await service.remove(id)
      return { id }
    },
    'profiles.test': ({ id }, ctx) => service.test(id, ctx.signal),
    'profiles.importPreview': async (source) => {
      // Reading the vault first: a locked vault refuses before any file is read.
      service.profiles()
      const found = await read(source)
      for (const c of found.candidates) if (c.secret !== undefined) secret(c.secret)
      return sessions.preview(found)
    },
    'profiles.importApply': ({ previewId, decisions }) => sessions.apply(previewId, decisions),
    'profiles.export': ({ ids, password }) => {
      secret(password)
      return exporter.exportProfiles(ids, password)
    },
  }

  return { service, testers, handlers, dispose: stopListening }
}
