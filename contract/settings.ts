import { z } from 'zod'
import { call, event } from './define'
import { keyboardLayoutIdSchema } from './keyboard/layouts'

export const Theme = z.enum(['system', 'light', 'dark'])
export type Theme = z.infer<typeof Theme>

/** A console's guest keyboard layout: one of the layouts, or 'auto' (the local keyboard's). */
export const ConsoleLayoutChoice = z.union([z.literal('auto'), keyboardLayoutIdSchema])
/** Which VM a per-VM console setting is for: `${connectionId}/${vmId}`. */
const ConsoleVmKey = z.string().min(1).max(400)

/** UI preferences only: never secrets (those live in the vault). */
export const Settings = z.strictObject({
  theme: Theme,
  layout: z.strictObject({
    sidebarWidth: z.number().int().min(160).max(640),
    sidebarCollapsed: z.boolean(),
  }),
  /** Guest keyboard layouts chosen in a console's toolbar, per VM (overriding the profile's). */
  consoleLayouts: z.record(ConsoleVmKey, ConsoleLayoutChoice).default({}),
})
export type Settings = z.infer<typeof Settings>

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  layout: { sidebarWidth: 260, sidebarCollapsed: false },
  consoleLayouts: {},
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
  /** Per VM: a layout sets it, null forgets it (back to the profile's); VMs left out keep theirs. */
  consoleLayouts: z.record(ConsoleVmKey, ConsoleLayoutChoice.nullable()).optional(),
})
export type SettingsPatch = z.infer<typeof SettingsPatch>

export const settingsCalls = {
  'settings.get': call('The UI preferences.', z.strictObject({}), Settings),
  'settings.set': call('Change some UI preferences; returns all of them.', SettingsPatch, Settings),
}

export const settingsEvents = {
  'settings.changed': event('UI preferences changed (from any window).', Settings),
}
