// Guest keyboard layouts: which key, with which modifiers, types each character in the guest.
// The data is generated from xkb-data and the X11 Compose file by scripts/gen-keyboard-layouts.ts
// (see docs/ARCHITECTURE.md, "Keyboard layouts"); this module only reads it.
import { z } from 'zod'
import data from './xkb-layouts.json'

export const KEYBOARD_LAYOUTS = ['en-US', 'en-GB', 'de', 'fr', 'es', 'it', 'pt-BR', 'sv', 'ja'] as const
export type KeyboardLayoutId = (typeof KEYBOARD_LAYOUTS)[number]
export const keyboardLayoutIdSchema = z.enum(KEYBOARD_LAYOUTS)

/** One physical key: its KeyboardEvent.code, its XT scancode (0xE0nn for extended keys), and its levels. */
export interface GuestKey {
  code: string
  scancode: number
  /** Levels 1-4 (none, Shift, AltGr, Shift+AltGr): [keysym, character ('' for a dead key)] or null. */
  levels: ReadonlyArray<readonly [number, string] | null>
}

/** One key press in the guest layout: the key, the modifiers held around it, and the guest's keysym. */
export interface Stroke {
  key: GuestKey
  shift: boolean
  altGr: boolean
  /** The keysym the guest layout gives this key at this level. */
  keysym: number
}

export interface KeyboardLayout {
  id: KeyboardLayoutId
  /** xkb's description, e.g. "German". */
  name: string
  /** The xkb layout (and variant) it was generated from. */
  xkb: string
  /** Whether Right Alt is AltGr (reaches levels 3 and 4) in this layout. */
  altGr: boolean
  keys: readonly GuestKey[]
  /** The strokes that type a character: one, or a dead key then a base character; undefined if none. */
  strokesFor(char: string): readonly Stroke[] | undefined
}

const keySchema = z.object({
  code: z.string(),
  scancode: z.number().int(),
  levels: z.array(z.tuple([z.number().int(), z.string()]).nullable()).length(4),
})
const fileSchema = z.object({
  sources: z.record(z.string(), z.string()),
  layouts: z.record(z.string(), z.object({ name: z.string(), xkb: z.string(), altGr: z.boolean(), keys: z.array(keySchema) })),
  usTable: z.array(keySchema),
  compose: z.record(z.string(), z.record(z.string(), z.string())),
})
type LayoutsFile = z.infer<typeof fileSchema>

let file: LayoutsFile | undefined
function layoutsFile(): LayoutsFile {
  file ??= fileSchema.parse(data)
  return file
}

/** Where the layout data came from (package name -> version), for About and diagnostics. */
export function keyboardLayoutSources(): Record<string, string> {
  return { ...layoutsFile().sources }
}

/** The keys of the US table that keysym-only servers map keysyms through (xkb us, pc105). */
export function usTableKeys(): readonly GuestKey[] {
  return layoutsFile().usTable
}

const cache = new Map<KeyboardLayoutId, KeyboardLayout>()

/** The guest layout with this id. */
export function keyboardLayout(id: KeyboardLayoutId): KeyboardLayout {
  let layout = cache.get(id)
  if (!layout) {
    layout = buildLayout(id)
    cache.set(id, layout)
  }
  return layout
}

function buildLayout(id: KeyboardLayoutId): KeyboardLayout {
  const f = layoutsFile()
  const raw = f.layouts[id]
  if (!raw) throw new Error(`no keyboard layout data for ${id}`)
  const usable = raw.altGr ? [0, 1, 2, 3] : [0, 1]
  const stroke = (key: GuestKey, level: number, keysym: number): Stroke => ({ key, shift: level % 2 === 1, altGr: level >= 2, keysym })

  // Direct characters: the fewest modifiers win (level order), then the first key in xkb's order.
  const direct = new Map<string, Stroke>()
  const dead = new Map<number, Stroke>()
  for (const level of usable) {
    for (const key of raw.keys) {
      const entry = key.levels[level]
      if (!entry) continue
      const [keysym, char] = entry
      if (char !== '') {
        if (!direct.has(char)) direct.set(char, stroke(key, level, keysym))
      } else if (isDeadKeysym(keysym) && !dead.has(keysym)) {
        dead.set(keysym, stroke(key, level, keysym))
      }
    }
  }
  // Dead-key sequences for what no key types directly: dead key, then the base character.
  const composed = new Map<string, { strokes: Stroke[]; cost: number }>()
  for (const [deadKeysym, deadStroke] of [...dead].sort((a, b) => a[0] - b[0])) {
    for (const [base, result] of Object.entries(f.compose[String(deadKeysym)] ?? {})) {
      const baseStroke = direct.get(base)
      if (!baseStroke || direct.has(result)) continue
      const cost = modifierCount(deadStroke) + modifierCount(baseStroke)
      const known = composed.get(result)
      if (!known || cost < known.cost) composed.set(result, { strokes: [deadStroke, baseStroke], cost })
    }
  }
  return {
    id,
    name: raw.name,
    xkb: raw.xkb,
    altGr: raw.altGr,
    keys: raw.keys,
    strokesFor(char) {
      const one = direct.get(char)
      if (one) return [one]
      return composed.get(char)?.strokes
    },
  }
}

function modifierCount(s: Stroke): number {
  return (s.shift ? 1 : 0) + (s.altGr ? 1 : 0)
}

/** X11 dead keysyms (dead_grave 0xfe50 … dead_greek 0xfe8c and friends). */
export function isDeadKeysym(keysym: number): boolean {
  return keysym >= 0xfe50 && keysym <= 0xfe93
}
