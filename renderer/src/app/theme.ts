import { useLayoutEffect, useSyncExternalStore } from 'react'
import type { Theme } from '../../../contract/settings'
import { useSettings } from '../store/settings'

export type ResolvedTheme = 'light' | 'dark'

const DARK_QUERY = '(prefers-color-scheme: dark)'

/** The theme to draw: the user's choice, or the system's when the choice is 'system'. */
export function resolveTheme(theme: Theme, systemPrefersDark: boolean): ResolvedTheme {
  if (theme === 'system') return systemPrefersDark ? 'dark' : 'light'
  return theme
}

function subscribeToSystem(onChange: () => void): () => void {
  const query = window.matchMedia(DARK_QUERY)
  query.addEventListener('change', onChange)
  return () => query.removeEventListener('change', onChange)
}

function systemPrefersDark(): boolean {
  return window.matchMedia(DARK_QUERY).matches
}

/** Sets `data-theme` on <html> before the first paint, so the shell does not flash the wrong colours. */
export function applyTheme(theme: ResolvedTheme): void {
  document.documentElement.dataset.theme = theme
}

/** Keeps `data-theme` on <html> in step with the setting and, for 'system', with the OS (live). */
export function useAppliedTheme(): ResolvedTheme {
  const theme = useSettings((s) => s.settings.theme)
  const prefersDark = useSyncExternalStore(subscribeToSystem, systemPrefersDark)
  const resolved = resolveTheme(theme, prefersDark)
  useLayoutEffect(() => applyTheme(resolved), [resolved])
  return resolved
}

/** The theme to use before the settings have arrived. */
export function initialTheme(): ResolvedTheme {
  return resolveTheme(useSettings.getState().settings.theme, systemPrefersDark())
}
