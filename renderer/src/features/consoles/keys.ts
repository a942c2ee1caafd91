// Keys a console sends on the user's behalf: the combinations the local OS would swallow
// (Ctrl+Alt+Del, Ctrl+Alt+F1…, Alt+Tab, the Windows key) and text pasted as keystrokes. Each
// key goes with its X11 keysym and its physical key (KeyboardEvent.code), so QEMU's extended key
// event can carry the real scancode; for characters that need Shift on a US keyboard we hold
// Shift ourselves, as a keyboard would (QEMU maps a keysym to a key, not to a shift state).

export interface KeyStroke {
  keysym: number
  code: string
}

export const KEY = {
  ControlLeft: { keysym: 0xffe3, code: 'ControlLeft' },
  AltLeft: { keysym: 0xffe9, code: 'AltLeft' },
  ShiftLeft: { keysym: 0xffe1, code: 'ShiftLeft' },
  MetaLeft: { keysym: 0xffeb, code: 'MetaLeft' },
  Delete: { keysym: 0xffff, code: 'Delete' },
  Tab: { keysym: 0xff09, code: 'Tab' },
  Enter: { keysym: 0xff0d, code: 'Enter' },
  Escape: { keysym: 0xff1b, code: 'Escape' },
  Backspace: { keysym: 0xff08, code: 'Backspace' },
  PrintScreen: { keysym: 0xff61, code: 'PrintScreen' },
} as const satisfies Record<string, KeyStroke>

/** F1…F12: keysyms 0xffbe…0xffc9. */
export function functionKey(n: number): KeyStroke {
  return { keysym: 0xffbe + n - 1, code: `F${n}` }
}

/** A combination: its label for the menu and its keys, pressed in order and released in reverse. */
export interface KeyCombo {
  id: string
  label: string
  keys: readonly KeyStroke[]
}

export const KEY_COMBOS: readonly KeyCombo[] = [
  { id: 'ctrl-alt-del', label: 'Ctrl+Alt+Del', keys: [KEY.ControlLeft, KEY.AltLeft, KEY.Delete] },
  ...Array.from({ length: 12 }, (_, i) => ({
    id: `ctrl-alt-f${i + 1}`,
    label: `Ctrl+Alt+F${i + 1}`,
    keys: [KEY.ControlLeft, KEY.AltLeft, functionKey(i + 1)],
  })),
  { id: 'alt-tab', label: 'Alt+Tab', keys: [KEY.AltLeft, KEY.Tab] },
  { id: 'win', label: 'Windows key', keys: [KEY.MetaLeft] },
  { id: 'ctrl-esc', label: 'Ctrl+Esc', keys: [KEY.ControlLeft, KEY.Escape] },
  { id: 'print-screen', label: 'Print Screen', keys: [KEY.PrintScreen] },
  { id: 'alt-f4', label: 'Alt+F4', keys: [KEY.AltLeft, functionKey(4)] },
]

/** The key events of a combination: downs in order, ups in reverse. */
export function comboEvents(combo: KeyCombo): Array<KeyStroke & { down: boolean }> {
  return [...combo.keys.map((k) => ({ ...k, down: true })), ...[...combo.keys].reverse().map((k) => ({ ...k, down: false }))]
}

// US layout: the unshifted and shifted character of each key.
const ROWS: ReadonlyArray<[string, string, string]> = [
  ['Backquote', '`', '~'],
  ['Digit1', '1', '!'],
  ['Digit2', '2', '@'],
  ['Digit3', '3', '#'],
  ['Digit4', '4', '$'],
  ['Digit5', '5', '%'],
  ['Digit6', '6', '^'],
  ['Digit7', '7', '&'],
  ['Digit8', '8', '*'],
  ['Digit9', '9', '('],
  ['Digit0', '0', ')'],
  ['Minus', '-', '_'],
  ['Equal', '=', '+'],
  ['BracketLeft', '[', '{'],
  ['BracketRight', ']', '}'],
  ['Backslash', '\\', '|'],
  ['Semicolon', ';', ':'],
  ['Quote', "'", '"'],
  ['Comma', ',', '<'],
  ['Period', '.', '>'],
  ['Slash', '/', '?'],
  ['Space', ' ', ' '],
]

const CHARS = new Map<string, { stroke: KeyStroke; shift: boolean }>()
for (const [code, plain, shifted] of ROWS) {
  CHARS.set(plain, { stroke: { keysym: plain.charCodeAt(0), code }, shift: false })
  if (shifted !== plain) CHARS.set(shifted, { stroke: { keysym: shifted.charCodeAt(0), code }, shift: true })
}
for (let c = 0; c < 26; c++) {
  const lower = String.fromCharCode(97 + c)
  const upper = lower.toUpperCase()
  const code = `Key${upper}`
  CHARS.set(lower, { stroke: { keysym: lower.charCodeAt(0), code }, shift: false })
  CHARS.set(upper, { stroke: { keysym: upper.charCodeAt(0), code }, shift: true })
}
CHARS.set('\n', { stroke: KEY.Enter, shift: false })
CHARS.set('\t', { stroke: KEY.Tab, shift: false })

/** Longest text "paste as keystrokes" types. */
export const MAX_PASTE_CHARS = 4096

/**
 * The key events that type `text` on a US keyboard. Characters with no key there (accents,
 * emoji) are sent as bare Unicode keysyms (0x01000000 + code point) and counted as `unmapped`:
 * a guest with another layout may show something else.
 */
export function typingEvents(text: string): { events: KeyEvent[]; perChar: KeyEvent[][]; chars: number; unmapped: number } {
  const perChar: KeyEvent[][] = []
  let unmapped = 0
  for (const ch of text.replace(/\r\n?/g, '\n')) {
    const known = CHARS.get(ch)
    if (!known) {
      unmapped++
      const cp = ch.codePointAt(0) ?? 0x3f
      const keysym = cp < 0x100 ? cp : 0x01000000 + cp
      perChar.push([
        { keysym, code: '', down: true },
        { keysym, code: '', down: false },
      ])
      continue
    }
    const group: KeyEvent[] = []
    if (known.shift) group.push({ ...KEY.ShiftLeft, down: true })
    group.push({ ...known.stroke, down: true }, { ...known.stroke, down: false })
    if (known.shift) group.push({ ...KEY.ShiftLeft, down: false })
    perChar.push(group)
  }
  return { events: perChar.flat(), perChar, chars: perChar.length, unmapped }
}

export type KeyEvent = KeyStroke & { down: boolean }
