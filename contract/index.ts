import { appCalls } from './app'
import { settingsCalls, settingsEvents } from './settings'

/** Every call main answers. Adding a feature adds its map here, and nowhere else. */
export const calls = {
  ...appCalls,
  ...settingsCalls,
}

/** Every event main pushes. */
export const events = {
  ...settingsEvents,
}

export type Calls = typeof calls
export type Events = typeof events
export type CallName = keyof Calls
export type EventName = keyof Events

export * from './errors'
export * from './define'
export * from './app'
export * from './settings'
export type { PortholeApi } from './client'
