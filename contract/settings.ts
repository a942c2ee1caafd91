import { z } from 'zod'
import { call, event } from './define'

export const Theme = z.enum(['system', 'light', 'dark'])
export type Theme = z.infer<typeof Theme>

/** UI preferences only: never secrets (those live in the vault). */
export const Settings = z.strictObject({
  theme: Theme,
  layout: z.strictObject({
    sidebarWidth: z.number().int().min(160).max(640),
    sidebarCollapsed: z.boolean(),
  }),
})
export type Settings = z.infer<typeof Settings>

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  layout: { sidebarWidth: 260, sidebarCollapsed: false },
}

/** A partial update: only the keys given change. */
export const SettingsPatch = z.strictObject({
  theme: Theme.optional(),
  layout: z
    .strictObject({
      sidebarWidth: z.number().int().min(160).max(640).optional(),
      sidebarCollapsed: z.boolean().optional(),
    })
    .optional(),
})
export type SettingsPatch = z.infer<typeof SettingsPatch>

export const settingsCalls = {
  'settings.get': call('The UI preferences.', z.strictObject({}), Settings),
  'settings.set': call('Change some UI preferences; returns all of them.', SettingsPatch, Settings),
}

export const settingsEvents = {
  'settings.changed': event('UI preferences changed (from any window).', Settings),
}
