import { appCalls } from './app'
import { settingsCalls, settingsEvents } from './settings'
import { vaultCalls, vaultEvents } from './vault'

/** Every call main answers. Adding a feature adds its map here, and nowhere else. */
export const calls = {
  ...appCalls,
  ...settingsCalls,
  ...vaultCalls,
}

/** Every event main pushes. */
export const events = {
  ...settingsEvents,
  ...vaultEvents,
}

export type Calls = typeof calls
export type Events = typeof events
export type CallName = keyof Calls
export type EventName = keyof Events

export * from './errors'
export * from './define'
export * from './app'
export * from './settings'
export * from './vault'
export type { PortholeApi } from './client'
