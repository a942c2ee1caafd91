import { useEffect } from 'react'
import { matchChord } from './chord'
import { shortcuts } from './shortcuts'

/** Binds the window-wide shortcuts of app/shortcuts.ts. A view that needs a key for itself calls preventDefault on it first. */
export function useShortcuts(): void {
  useEffect(() => {
    function onKeyDown(e: KeyboardEvent): void {
      if (e.defaultPrevented || e.isComposing) return
      for (const shortcut of shortcuts) {
        if (shortcut.run && shortcut.chords.some((c) => matchChord(c, e))) {
          e.preventDefault()
          shortcut.run()
          return
        }
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])
}
