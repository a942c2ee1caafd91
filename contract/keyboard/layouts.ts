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
  /** Defined by the layout's own xkb symbols, not inherited from a shared include. */
  own: boolean
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
  /**
   * The strokes that type a character: one key, or else a dead key then a base character; undefined
   * if none. Keys `canPress` refuses are avoided (a US-table server cannot press the Ro key).
   */
  strokesFor(char: string, canPress?: (key: GuestKey) => boolean): readonly Stroke[] | undefined
}

const keySchema = z.object({
  code: z.string(),
  scancode: z.number().int(),
  own: z.boolean(),
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

  // Where several keys type a character: the fewest modifiers (level order) win; then keys the layout
  // defines itself beat keys inherited from a shared xkb include (es '[' is AltGr+` on Spanish
  // keyboards, AltGr+8 only via latin(type4)); then the first key in xkb's order.
  const candidates = usable.flatMap((level) => raw.keys.map((key, order) => ({ key, level, order })))
  candidates.sort((a, b) => a.level - b.level || Number(b.key.own) - Number(a.key.own) || a.order - b.order)
  const direct = new Map<string, Stroke[]>()
  const dead = new Map<number, Stroke[]>()
  for (const { key, level } of candidates) {
    const entry = key.levels[level]
    if (!entry) continue
    const [keysym, char] = entry
    if (char !== '') push(direct, char, stroke(key, level, keysym))
    else if (isDeadKeysym(keysym)) push(dead, keysym, stroke(key, level, keysym))
  }
  // Dead-key sequences (dead key, then a base character), by what they make.
  const composed = new Map<string, Array<{ dead: number; base: string }>>()
  for (const deadKeysym of [...dead.keys()].sort((a, b) => a - b)) {
    for (const [base, result] of Object.entries(f.compose[String(deadKeysym)] ?? {})) {
      if (direct.has(base)) push(composed, result, { dead: deadKeysym, base })
    }
  }
  const first = (strokes: Stroke[] | undefined, canPress: (key: GuestKey) => boolean): Stroke | undefined =>
    strokes?.find((s) => canPress(s.key))

  return {
    id,
    name: raw.name,
    xkb: raw.xkb,
    altGr: raw.altGr,
    keys: raw.keys,
    strokesFor(char, canPress = () => true) {
      const one = first(direct.get(char), canPress)
      if (one) return [one]
      let best: { strokes: Stroke[]; cost: number } | undefined
      for (const { dead: d, base } of composed.get(char) ?? []) {
        const deadStroke = first(dead.get(d), canPress)
        const baseStroke = first(direct.get(base), canPress)
        if (!deadStroke || !baseStroke) continue
        const cost = modifierCount(deadStroke) + modifierCount(baseStroke)
        if (!best || cost < best.cost) best = { strokes: [deadStroke, baseStroke], cost }
      }
      return best?.strokes
    },
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

function modifierCount(s: Stroke): number {
  return (s.shift ? 1 : 0) + (s.altGr ? 1 : 0)
}

/** X11 dead keysyms (dead_grave 0xfe50 … dead_greek 0xfe8c and friends). */
export function isDeadKeysym(keysym: number): boolean {
  return keysym >= 0xfe50 && keysym <= 0xfe93
}
