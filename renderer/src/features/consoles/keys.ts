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

/** Longest text "paste as keystrokes" types. */
export const MAX_PASTE_CHARS = 4096

export type KeyEvent = KeyStroke & { down: boolean }

// --- User-defined key sequences -----------------------------------------------------------
// A sequence is text typed through the guest layout, with chords in braces: "{Ctrl+Alt+F2}",
// "linux single{Enter}", "root{Tab}secret{Enter}". "{{" types a literal "{".

const NAMED: Record<string, KeyStroke> = {
  ctrl: KEY.ControlLeft,
  control: KEY.ControlLeft,
  alt: KEY.AltLeft,
  altgr: { keysym: 0xffea, code: 'AltRight' },
  shift: KEY.ShiftLeft,
  win: KEY.MetaLeft,
  meta: KEY.MetaLeft,
  super: KEY.MetaLeft,
  cmd: KEY.MetaLeft,
  del: KEY.Delete,
  delete: KEY.Delete,
  tab: KEY.Tab,
  enter: KEY.Enter,
  return: KEY.Enter,
  esc: KEY.Escape,
  escape: KEY.Escape,
  backspace: KEY.Backspace,
  printscreen: KEY.PrintScreen,
  space: { keysym: 0x20, code: 'Space' },
  insert: { keysym: 0xff63, code: 'Insert' },
  home: { keysym: 0xff50, code: 'Home' },
  end: { keysym: 0xff57, code: 'End' },
  pageup: { keysym: 0xff55, code: 'PageUp' },
  pagedown: { keysym: 0xff56, code: 'PageDown' },
  left: { keysym: 0xff51, code: 'ArrowLeft' },
  up: { keysym: 0xff52, code: 'ArrowUp' },
  right: { keysym: 0xff53, code: 'ArrowRight' },
  down: { keysym: 0xff54, code: 'ArrowDown' },
}

/** A key by name ("Ctrl", "F2", "Enter", "c", "5"); undefined if unknown. */
export function namedKey(name: string): KeyStroke | undefined {
  const n = name.trim().toLowerCase()
  const named = NAMED[n]
  if (named) return named
  const f = /^f(\d{1,2})$/.exec(n)
  if (f && Number(f[1]) >= 1 && Number(f[1]) <= 12) return functionKey(Number(f[1]))
  // Letters and digits by position: the keysym is the US key's, which both server kinds place there.
  if (/^[a-z]$/.test(n)) return { keysym: n.charCodeAt(0), code: `Key${n.toUpperCase()}` }
  if (/^\d$/.test(n)) return { keysym: n.charCodeAt(0), code: `Digit${n}` }
  return undefined
}

export type SequenceStep = { kind: 'text'; text: string } | { kind: 'chord'; label: string; keys: KeyStroke[] }

/** Parses a key sequence; throws an Error naming the first chord it does not understand. */
export function parseSequence(source: string): SequenceStep[] {
  const steps: SequenceStep[] = []
  let text = ''
  const flush = (): void => {
    if (text) steps.push({ kind: 'text', text })
    text = ''
  }
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!
    if (ch === '{' && source[i + 1] === '{') {
      text += '{'
      i++
      continue
    }
    if (ch !== '{') {
      text += ch
      continue
    }
    const end = source.indexOf('}', i)
    if (end < 0) throw new Error(`"{" at ${i + 1} has no closing "}".`)
    const label = source.slice(i + 1, end)
    const keys = label.split('+').map((name) => {
      const key = namedKey(name)
      if (!key) throw new Error(`Unknown key "${name.trim()}" in {${label}}.`)
      return key
    })
    flush()
    steps.push({ kind: 'chord', label, keys })
    i = end
  }
  flush()
  return steps
}
