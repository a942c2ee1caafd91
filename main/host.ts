import { calls, type Calls } from '../contract/index'
import { serve, type Dispatch, type Handlers } from '../contract/serve'
import { createEventBus, type EventBus } from './event-bus'
import type { Log } from './services/log/log'
import { createSettingsService, type SettingsStore } from './services/settings/settings-service'

export interface HostOptions {
  /** Where the vault, logs and downloads' bookkeeping live (Electron's userData). */
  dataDir: string
  version: string
  platform: NodeJS.Platform
  settingsStore: SettingsStore
  log: Log
}

export interface Host {
  dispatch: Dispatch
  events: EventBus
  dispose(): Promise<void>
}

function platformName(p: NodeJS.Platform): 'linux' | 'darwin' | 'win32' | 'other' {
  return p === 'linux' || p === 'darwin' || p === 'win32' ? p : 'other'
}

/** Builds the services and binds them to the contract. Every transport serves this same host. */
export function createHost(options: HostOptions): Host {
  const { log } = options
  const events = createEventBus(log)
  const settings = createSettingsService(options.settingsStore, log, (s) => events.emit('settings.changed', s))

  const handlers: Handlers<Calls> = {
    'app.info': (_input, ctx) => ({
      name: 'Porthole',
      version: options.version,
      platform: platformName(options.platform),
      transport: ctx.transport,
    }),
    'settings.get': () => settings.get(),
    'settings.set': (patch) => settings.set(patch),
  }

  return {
    dispatch: serve(calls, handlers, log),
    events,
    async dispose() {},
  }
}
