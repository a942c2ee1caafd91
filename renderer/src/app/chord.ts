/** One key combination. `ctrl` is the Control key on every platform (Ctrl+Tab is Control on macOS too). */
export interface Chord {
  key: string
  ctrl?: boolean
  shift?: boolean
  alt?: boolean
}

/** The part of a KeyboardEvent a chord looks at. */
export interface KeyLike {
  key: string
  ctrlKey: boolean
  shiftKey: boolean
  altKey: boolean
  metaKey: boolean
}

/** True when the event is exactly this chord: extra modifiers do not match (Ctrl+Shift+W is not Ctrl+W). */
export function matchChord(chord: Chord, event: KeyLike): boolean {
  return (
    event.key.toLowerCase() === chord.key.toLowerCase() &&
    event.ctrlKey === (chord.ctrl ?? false) &&
    event.shiftKey === (chord.shift ?? false) &&
    event.altKey === (chord.alt ?? false) &&
    !event.metaKey
  )
}

const KEY_NAMES: Record<string, string> = {
  ArrowLeft: '←',
  ArrowRight: '→',
  ArrowUp: '↑',
  ArrowDown: '↓',
  PageUp: 'Page Up',
  PageDown: 'Page Down',
  ' ': 'Space',
}

/** How a chord is written for people: "Ctrl+Shift+Tab". */
export function chordLabel(chord: Chord): string {
  const key = KEY_NAMES[chord.key] ?? (chord.key.length === 1 ? chord.key.toUpperCase() : chord.key)
  return [chord.ctrl && 'Ctrl', chord.alt && 'Alt', chord.shift && 'Shift', key].filter(Boolean).join('+')
}
