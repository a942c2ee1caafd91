// Turns text into the key events that type it in a guest with a given keyboard layout, for the two
// kinds of console server (docs/ARCHITECTURE.md, "Keyboard layouts"):
//   'scancode'  — the server takes raw keys (QEMU's extended key event): each character becomes the
//                 physical keys of the guest layout; the scancode is what counts.
//   'us-keysym' — the server maps keysyms to keys through a US table (ESXi, QEMU without the
//                 extension): each character becomes the keysyms of the US keys at the positions the
//                 guest layout types it with, so the table lands on the right physical keys.
// Either way the guest receives the same scancodes. Pure data in, data out: no DOM, no sockets.
import { keyboardLayout, usTableKeys, type GuestKey, type KeyboardLayoutId, type Stroke } from './layouts'

export type KeystrokePath = 'scancode' | 'us-keysym'

/** One key going down or up, in the shape noVNC's `rfb.sendKey(keysym, code, down)` takes. */
export interface KeyEvent {
  keysym: number
  /** KeyboardEvent.code of the physical key. */
  code: string
  /** XT scancode set 1; extended keys as 0xE0nn (noVNC's and QEMU's convention). */
  scancode: number
  down: boolean
}

/** The events that type one character; sending them whole never leaves a modifier held. */
export interface PlannedChar {
  char: string
  events: KeyEvent[]
}

export interface KeystrokePlan {
  chars: PlannedChar[]
  /** Characters the layout (or, on the keysym path, the US table) cannot type, once each, in order of appearance. They are left out of `chars`. */
  untypable: string[]
}

export const XK_SHIFT_L = 0xffe1
export const XK_ALT_R = 0xffea
export const XK_ISO_LEVEL3_SHIFT = 0xfe03
export const XK_RETURN = 0xff0d
export const XK_TAB = 0xff09

const SHIFT = { code: 'ShiftLeft', scancode: 0x2a }
const ALT_GR = { code: 'AltRight', scancode: 0xe038 }
/** Keys every layout has in the same place, typed the same way on both paths. */
const CONTROL_CHARS: Record<string, { keysym: number; code: string; scancode: number }> = {
  '\n': { keysym: XK_RETURN, code: 'Enter', scancode: 0x1c },
  '\t': { keysym: XK_TAB, code: 'Tab', scancode: 0x0f },
}

/**
 * Plans typing `text` into a guest whose keyboard layout is `layout`. Line ends (\r\n, \r, \n)
 * become Enter and \t becomes Tab. Assumes Caps Lock is off in the guest. The caller caps the
 * length and sends `chars` one by one (progress, cancel between characters).
 */
export function planKeystrokes(text: string, layout: KeyboardLayoutId, path: KeystrokePath): KeystrokePlan {
  const guest = keyboardLayout(layout)
  const chars: PlannedChar[] = []
  const untypable: string[] = []
  for (const char of text.replace(/\r\n?/g, '\n')) {
    const control = CONTROL_CHARS[char]
    if (control) {
      chars.push({ char, events: [{ ...control, down: true }, { ...control, down: false }] })
      continue
    }
    const strokes = guest.strokesFor(char, path === 'us-keysym' ? (key) => usKeysymAt(key.code, false) !== undefined : undefined)
    const events = strokes && strokesToEvents(strokes, path)
    if (events) chars.push({ char, events })
    else if (!untypable.includes(char)) untypable.push(char)
  }
  return { chars, untypable }
}

/** Every event of a plan, in order. */
export function keyEvents(plan: KeystrokePlan): KeyEvent[] {
  return plan.chars.flatMap((c) => c.events)
}

function strokesToEvents(strokes: readonly Stroke[], path: KeystrokePath): KeyEvent[] | undefined {
  const events: KeyEvent[] = []
  for (const s of strokes) {
    const keysym = path === 'scancode' ? s.keysym : usKeysymAt(s.key.code, s.shift, s.altGr)
    if (keysym === undefined) return undefined
    const altGrKeysym = path === 'scancode' ? XK_ISO_LEVEL3_SHIFT : XK_ALT_R
    const held = [...(s.shift ? [{ ...SHIFT, keysym: XK_SHIFT_L }] : []), ...(s.altGr ? [{ ...ALT_GR, keysym: altGrKeysym }] : [])]
    for (const m of held) events.push({ ...m, down: true })
    events.push({ keysym, code: s.key.code, scancode: s.key.scancode, down: true })
    events.push({ keysym, code: s.key.code, scancode: s.key.scancode, down: false })
    for (const m of [...held].reverse()) events.push({ ...m, down: false })
  }
  return events
}

/** Keysym -> where the US table has it: [code, level index (0 none, 1 Shift, 2 AltGr, 3 both)]. */
/** The UI Events "writing system keys": the keys whose meaning depends on the layout. */
const WRITING_SYSTEM_KEY = /^(Key[A-Z]|Digit\d|Minus|Equal|Bracket(Left|Right)|Backslash|Semicolon|Quote|Backquote|Comma|Period|Slash|Intl(Backslash|Ro|Yen)|Space)$/

let usIndex: { byCode: Map<string, GuestKey>; entries: Map<number, Array<[string, number]>> } | undefined

/**
 * The keysym a US-table server maps to the key at `code` while Shift and AltGr (Right Alt) are
 * held or not. In order: the keysym of that level if no other key of the table has it; else another
 * keysym of the key that no other key has ('¦' for the key left of Z, whose '<', '>' and '|' are also
 * on Comma, Period and Backslash); else the level's keysym if no other key has it at a level those
 * modifiers reach. Keysyms on one key only are what every table maps the same way: QEMU 7.2 picks
 * among several entries by the modifiers held on press, but on release it fails to find the entry
 * that has modifiers and releases the wrong key (seen here with AltGr+'|' on the key left of Z).
 * Undefined where a US keyboard has no such key (Ro, Yen).
 */
export function usKeysymAt(code: string, shift: boolean, altGr = false): number | undefined {
  if (!usIndex) {
    const byCode = new Map<string, GuestKey>()
    const entries = new Map<number, Array<[string, number]>>()
    for (const key of usTableKeys()) {
      byCode.set(key.code, key)
      key.levels.forEach((level, i) => {
        if (!level) return
        const list = entries.get(level[0]) ?? []
        list.push([key.code, i])
        entries.set(level[0], list)
      })
    }
    usIndex = { byCode, entries }
  }
  const index = usIndex
  const key = index.byCode.get(code)
  if (!key) return undefined
  const level = (shift ? 1 : 0) + (altGr ? 2 : 0)
  const own = key.levels.filter((l): l is readonly [number, string] => l !== null)
  const preferred = (key.levels[level] ?? key.levels[shift ? 1 : 0] ?? own[0])?.[0]
  if (preferred === undefined) return undefined
  const codesOf = (keysym: number, onLevel?: number): Set<string> =>
    new Set((index.entries.get(keysym) ?? []).filter(([, i]) => onLevel === undefined || i === onLevel).map(([c]) => c))
  const onlyHere = (set: Set<string>): boolean => set.size === 1 && set.has(code)
  if (onlyHere(codesOf(preferred))) return preferred
  const unique = own.find(([keysym]) => onlyHere(codesOf(keysym)))
  if (unique) return unique[0]
  return preferred
}

/**
 * For a physical key press on a keysym-only server: the keysym to send so the server's US table
 * presses the same physical key in the guest, whatever the local layout (AltGr becomes Alt_R,
 * writing keys become the US keysym at their position). Undefined means "send noVNC's keysym
 * unchanged" (function keys, arrows, Ctrl…, which every layout has in the same place).
 */
export function usKeysymForPhysicalKey(code: string, shiftHeld: boolean, altGrHeld = false): number | undefined {
  if (code === 'AltRight') return XK_ALT_R
  return WRITING_SYSTEM_KEY.test(code) ? usKeysymAt(code, shiftHeld, altGrHeld) : undefined
}
