import { useProfiles } from './store'

export const ADD_CONNECTION_BUTTON_ID = 'connections-add'

/** The sidebar row of a profile. */
export function connectionRow(id: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`.connection[data-profile-id="${CSS.escape(id)}"]`)
}

/**
 * Focuses what `find` returns once it is on the page: after the closing dialog has restored
 * its own focus and the list has re-rendered (a few frames at most).
 */
function focusWhenPresent(find: () => HTMLElement | null, framesLeft = 10): void {
  requestAnimationFrame(() => {
    // Wait for the dialog to be gone: closing, it puts the focus back where it was before.
    const el = document.querySelector('dialog[open]') ? null : find()
    if (el) el.focus()
    else if (framesLeft > 0) focusWhenPresent(find, framesLeft - 1)
  })
}

/** Focuses a profile's row once the dialog that saved it has closed. */
export function focusConnection(id: string): void {
  focusWhenPresent(() => connectionRow(id))
}

/** After a delete: the row that took the deleted one's place, else the one above, else "Add connection". */
export function focusAfterDelete(index: number): void {
  focusWhenPresent(() => {
    const list = useProfiles.getState().profiles
    const next = list[Math.min(index, list.length - 1)]
    return next ? connectionRow(next.id) : document.getElementById(ADD_CONNECTION_BUTTON_ID)
  })
}
