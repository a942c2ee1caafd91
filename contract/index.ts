import { appCalls } from './app'
import { settingsCalls, settingsEvents } from './settings'
import { vaultCalls, vaultEvents } from './vault'
import { profileCalls, profileEvents } from './profiles'
import { tlsCalls } from './tls'
import { inventoryCalls, inventoryEvents } from './inventory'
import { labCalls } from './lab'
import { guestCalls } from './guest'
import { filesCalls } from './files'
import { downloadCalls, downloadEvents } from './downloads'
import { consoleCalls, consoleEvents } from './consoles'

/** Every call main answers. Adding a feature adds its map here, and nowhere else. */
export const calls = {
  ...appCalls,
  ...settingsCalls,
  ...vaultCalls,
  ...profileCalls,
  ...tlsCalls,
  ...inventoryCalls,
  ...labCalls,
  ...guestCalls,
  ...filesCalls,
  ...downloadCalls,
  ...consoleCalls,
}

/** Every event main pushes. */
export const events = {
  ...settingsEvents,
  ...vaultEvents,
  ...profileEvents,
  ...inventoryEvents,
  ...downloadEvents,
  ...consoleEvents,
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
export * from './profiles'
export * from './tls'
export * from './inventory'
export * from './lab'
export * from './guest'
export * from './files'
export * from './downloads'
export * from './consoles'
export type { PortholeApi } from './client'
