// Generates contract/keyboard/xkb-layouts.json, the guest keyboard layouts Porthole types through,
// from the platform's own, maintained layout data (see docs/ARCHITECTURE.md, "Keyboard layouts"):
//   - xkb-data (the layouts), compiled by libxkbcommon's `xkbcli compile-keymap`, so includes,
//     key types and levels are resolved by the reference compiler and not by us;
//   - libx11-data's en_US.UTF-8 Compose file (what a dead key followed by a character makes);
//   - x11proto-dev's keysymdef.h (keysym names, values and the Unicode character of each);
//   - noVNC's xtscancodes.js (generated from keycodemapdb's keymaps.csv: Linux key number ->
//     KeyboardEvent.code -> XT scancode set 1).
// Usage: npx tsx scripts/gen-keyboard-layouts.ts [--check]
// Needs: apt-get install xkb-data libxkbcommon-tools libx11-data x11proto-dev
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(__dirname, '..')
export const OUTPUT = path.join(root, 'contract/keyboard/xkb-layouts.json')
const COMPOSE = '/usr/share/X11/locale/en_US.UTF-8/Compose'
const KEYSYMDEF = '/usr/include/X11/keysymdef.h'
const XTSCANCODES = path.join(root, 'node_modules/@novnc/novnc/core/input/xtscancodes.js')
const NOVNC_PACKAGE = path.join(root, 'node_modules/@novnc/novnc/package.json')

/**
 * The physical keyboard each layout is used with decides which keys exist: an ANSI keyboard has no
 * key left of Z (LSGT), a JIS keyboard has the Ro and Yen keys (AB11, AE13) instead, ABNT2 has Ro (AB11).
 * xkb's pc105 model defines LSGT for every layout, so without this a US guest would get '<' from a
 * key its keyboard does not have.
 */
const KEYBOARDS = {
  pc105: { without: [] },
  ansi: { without: ['LSGT', 'AB11', 'AE13'] },
  iso: { without: ['AB11', 'AE13'] },
  abnt2: { without: ['AE13'] },
  jis: { without: ['LSGT'] },
} as const

/**
 * Porthole's layout ids (BCP 47-ish, as shown to users) and the xkb layout behind each: the default
 * variant, except Japanese, where OADG 109A is the standard PC keyboard (Windows' layout, the Yen key
 * types ¥ and Shift+0 types nothing) and xkb's default "106" variant is an older convention.
 */
export const LAYOUTS = [
  { id: 'en-US', xkb: 'us', variant: '', keyboard: 'ansi' },
  { id: 'en-GB', xkb: 'gb', variant: '', keyboard: 'iso' },
  { id: 'de', xkb: 'de', variant: '', keyboard: 'iso' },
  { id: 'fr', xkb: 'fr', variant: '', keyboard: 'iso' },
  { id: 'es', xkb: 'es', variant: '', keyboard: 'iso' },
  { id: 'it', xkb: 'it', variant: '', keyboard: 'iso' },
  { id: 'pt-BR', xkb: 'br', variant: '', keyboard: 'abnt2' },
  { id: 'sv', xkb: 'se', variant: '', keyboard: 'iso' },
  { id: 'ja', xkb: 'jp', variant: 'OADG109A', keyboard: 'jis' },
] as const

/** The writing-system keys (ISO 9995 positions as xkb names them): the keys that type characters. */
const WRITING_KEY = /^(TLDE|AE\d\d|AD\d\d|AC\d\d|AB\d\d|BKSL|LSGT|SPCE)$/

/** [keysym, character ("" for a dead key or a keysym without one)] */
type Level = [number, string]
interface KeyData {
  code: string
  scancode: number
  /** Defined by the layout's own symbols file, not inherited from a shared include such as latin(type4). */
  own: boolean
  /** Level 1 (no modifier), 2 (Shift), 3 (AltGr), 4 (Shift+AltGr); null where that combination gives nothing. */
  levels: Array<Level | null>
}
export interface LayoutsFile {
  generatedBy: string
  sources: Record<string, string>
  layouts: Record<string, { name: string; xkb: string; keyboard: string; altGr: boolean; keys: KeyData[] }>
  /**
   * The US table a keysym-only server (ESXi, QEMU without the extended key event) maps keysyms
   * through: xkb's us layout on the pc105 model, so it also has the key left of Z, as QEMU's own
   * en-us keymap (generated from the same data) does. Every key, not only the writing keys.
   */
  usTable: KeyData[]
  /** Dead keysym -> base character -> what the two make (from the Compose file). */
  compose: Record<string, Record<string, string>>
}

interface Keysyms {
  value: Map<string, number>
  char: Map<number, string>
}

function readKeysyms(): Keysyms {
  const value = new Map<string, number>()
  const char = new Map<number, string>()
  const line = /^#define XK_(\w+)\s+0x([0-9a-fA-F]+)\s*(?:\/\*\s*\(?U\+([0-9A-F]{4,6}))?/
  for (const text of fs.readFileSync(KEYSYMDEF, 'utf8').split('\n')) {
    const m = line.exec(text)
    if (!m) continue
    const keysym = parseInt(m[2]!, 16)
    if (!value.has(m[1]!)) value.set(m[1]!, keysym)
    if (m[3] && !char.has(keysym)) char.set(keysym, String.fromCodePoint(parseInt(m[3], 16)))
  }
  return { value, char }
}

/** A keysym name as xkb writes it: a keysymdef name, or U<hex> for a Unicode keysym. */
function resolveKeysym(name: string, keysyms: Keysyms, strict = true): Level | null {
  if (name === 'NoSymbol') return null
  const unicode = /^U([0-9A-Fa-f]{4,6})$/.exec(name)
  if (unicode) {
    const cp = parseInt(unicode[1]!, 16)
    // libxkbcommon: Latin-1 code points are their own keysyms; the rest are 0x01000000 + code point.
    const keysym = (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) ? cp : 0x01000000 + cp
    return [keysym, String.fromCodePoint(cp)]
  }
  const keysym = keysyms.value.get(name)
  if (keysym === undefined) {
    if (strict) throw new Error(`unknown keysym name ${name}`)
    return null // vendor keysyms (XF86…) on keys Porthole never types through the table
  }
  return [keysym, keysyms.char.get(keysym) ?? '']
}

/** XT scancodes and DOM codes by Linux key number, from noVNC's generated table and its comments. */
function readXtScancodes(): Map<number, { code: string; scancode: number }> {
  const byLinux = new Map<number, { code: string; scancode: number }>()
  const entry = /^\s*"(\w+)": 0x([0-9a-f]+), \/\* html:\w+ \(\w+\) -> linux:(\d+) /
  for (const text of fs.readFileSync(XTSCANCODES, 'utf8').split('\n')) {
    const m = entry.exec(text)
    if (m) byLinux.set(Number(m[3]), { code: m[1]!, scancode: parseInt(m[2]!, 16) })
  }
  if (byLinux.size < 100) throw new Error(`xtscancodes.js: only ${byLinux.size} entries parsed; has its format changed?`)
  return byLinux
}

const NO_MODS = ''
/** The modifier combinations Porthole uses for levels 1-4 (Caps Lock is assumed off in the guest). */
const COMBOS = [NO_MODS, 'Shift', 'LevelThree', 'Shift+LevelThree']

/** Which level each combination reaches, per explicit key type of the compiled keymap. */
function readTypes(keymap: string): Map<string, number[]> {
  const types = new Map<string, number[]>()
  const section = /xkb_types[^{]*\{([\s\S]*?)\n\};/.exec(keymap)?.[1] ?? ''
  for (const m of section.matchAll(/type "([^"]+)" \{([\s\S]*?)\};/g)) {
    const body = m[2]!
    const maps = new Map<string, number>()
    for (const e of body.matchAll(/map\[([^\]]+)\]= (\d+);/g)) maps.set(e[1]!.split('+').sort().join('+'), Number(e[2]))
    const declared = (/modifiers= ([^;]+);/.exec(body)?.[1] ?? 'none').split('+')
    types.set(
      m[1]!,
      COMBOS.map((combo) => {
        // Modifiers the type does not look at are ignored by it (e.g. Shift on a ONE_LEVEL key).
        const relevant = combo === NO_MODS ? [] : combo.split('+').filter((mod) => declared.includes(mod))
        return relevant.length === 0 ? 1 : (maps.get(relevant.sort().join('+')) ?? 1)
      }),
    )
  }
  return types
}

/**
 * The keys a layout's own symbols file defines for a section, following includes within the same
 * file (jp(OADG109A) -> jp(common)) but not into shared files (latin, pc, level3…). Where two keys
 * type the same character at the same level, Porthole prefers these: es has '[' on its own AltGr+`
 * (as on every Spanish keyboard) and again on AltGr+8 from latin(type4).
 */
function ownKeys(layout: string, variant: string): Set<string> {
  const text = fs.readFileSync(path.join('/usr/share/X11/xkb/symbols', layout), 'utf8').replace(/\/\/.*$/gm, '')
  const sections = new Map<string, string>()
  let fallback = ''
  for (const m of text.matchAll(/^xkb_symbols\s+"([^"]+)"\s*\{([\s\S]*?)^\};/gm)) {
    sections.set(m[1]!, m[2]!)
    if (!fallback) fallback = m[1]! // the default section comes first in every file we read
  }
  const keys = new Set<string>()
  const visit = (name: string): void => {
    const body = sections.get(name)
    if (body === undefined) throw new Error(`symbols/${layout} has no section ${name}`)
    for (const inc of body.matchAll(/include\s+"([^"]+)"/g)) {
      for (const part of inc[1]!.split('+')) {
        const same = new RegExp(`^${layout}\\(([^)]+)\\)$`).exec(part)
        if (same) visit(same[1]!)
      }
    }
    for (const k of body.matchAll(/key\s+<(\w+)>/g)) keys.add(k[1]!)
  }
  visit(variant || fallback)
  return keys
}

function compileLayout(
  xkb: string,
  variant: string,
  keyboard: keyof typeof KEYBOARDS,
  keysyms: Keysyms,
  xt: Map<number, { code: string; scancode: number }>,
  allKeys = false,
) {
  const keymap = execFileSync('xkbcli', ['compile-keymap', '--rules', 'evdev', '--model', 'pc105', '--layout', xkb, '--variant', variant], { encoding: 'utf8' })
  const keycodes = new Map<string, number>()
  for (const m of keymap.matchAll(/^\s*<(\w+)>\s*= (\d+);/gm)) keycodes.set(m[1]!, Number(m[2]))
  const types = readTypes(keymap)
  const own = ownKeys(xkb, variant)
  const symbols = /xkb_symbols[^{]*\{([\s\S]*?)\n\};/.exec(keymap)?.[1] ?? ''
  const name = /name\[Group1\]="([^"]*)"/.exec(symbols)?.[1] ?? xkb
  const keys: KeyData[] = []
  let altGr = false
  for (const m of symbols.matchAll(/key <(\w+)>\s*\{([\s\S]*?)\};/g)) {
    const [, keyName, body] = m as unknown as [string, string, string]
    const type = /type= "([^"]+)"/.exec(body)?.[1]
    const list = /\[([^\]]*)\]\s*$/.exec(body.trim())?.[1] ?? /\[([^\]]*)\]/.exec(body)?.[1] ?? ''
    const names = list.split(',').map((s) => s.trim()).filter(Boolean)
    if (keyName === 'RALT') altGr = names[0] === 'ISO_Level3_Shift'
    if (!(allKeys || WRITING_KEY.test(keyName)) || (KEYBOARDS[keyboard].without as readonly string[]).includes(keyName)) continue
    const keycode = keycodes.get(keyName)
    const position = keycode === undefined ? undefined : xt.get(keycode - 8) // evdev keycodes are Linux's + 8
    if (!position) {
      if (allKeys) continue // keys a PC keyboard does not have (I120, FK13…)
      throw new Error(`${xkb}: no XT scancode for <${keyName}>`)
    }
    // Without an explicit type, xkbcomp's automatic types all map Shift to 2, LevelThree to 3, both to 4.
    const reach = type ? types.get(type) : [1, 2, 3, 4]
    if (!reach) throw new Error(`${xkb}: unknown key type ${type}`)
    const levels = reach.map((level) => {
      const n = names[level - 1]
      return n === undefined ? null : resolveKeysym(n, keysyms, !allKeys)
    })
    if (levels.every((l) => l === null)) continue
    keys.push({ code: position.code, scancode: position.scancode, own: own.has(keyName), levels })
  }
  return { name, altGr, keys }
}

/** Two-keysym Compose sequences that start with a dead key: dead keysym -> base char -> result. */
function readCompose(keysyms: Keysyms, dead: Set<number>, bases: Set<string>): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {}
  const line = /^<(dead_\w+)>\s+<(\w+)>\s*:\s*"((?:[^"\\]|\\.)+)"/
  for (const text of fs.readFileSync(COMPOSE, 'utf8').split('\n')) {
    const m = line.exec(text)
    if (!m) continue
    const deadKeysym = keysyms.value.get(m[1]!)
    if (deadKeysym === undefined || !dead.has(deadKeysym)) continue
    const base = resolveKeysym(m[2]!, keysyms)
    const result = m[3]!.replace(/\\(.)/g, '$1')
    // Only what some layout can type as the second key, and one character out.
    if (!base || !bases.has(base[1]) || [...result].length !== 1) continue
    const table = (out[String(deadKeysym)] ??= {})
    table[base[1]] ??= result
  }
  return out
}

function packageVersion(name: string): string {
  return execFileSync('dpkg-query', ['-W', '-f=${Version}', name], { encoding: 'utf8' }).trim()
}

/** Builds the layouts file from the installed platform data. */
export function generateLayouts(): LayoutsFile {
  const keysyms = readKeysyms()
  const xt = readXtScancodes()
  const layouts: LayoutsFile['layouts'] = {}
  const dead = new Set<number>()
  const bases = new Set<string>()
  for (const l of LAYOUTS) {
    const compiled = compileLayout(l.xkb, l.variant, l.keyboard, keysyms, xt)
    layouts[l.id] = { name: compiled.name, xkb: l.variant ? `${l.xkb}(${l.variant})` : l.xkb, keyboard: l.keyboard, altGr: compiled.altGr, keys: compiled.keys }
    for (const k of compiled.keys) {
      for (const level of k.levels) {
        if (level && level[0] >= 0xfe50 && level[0] <= 0xfe93) dead.add(level[0])
        if (level?.[1]) bases.add(level[1])
      }
    }
  }
  const usTable = compileLayout('us', '', 'pc105', keysyms, xt, true).keys
  const novnc = (JSON.parse(fs.readFileSync(NOVNC_PACKAGE, 'utf8')) as { version: string }).version
  return {
    generatedBy: 'scripts/gen-keyboard-layouts.ts',
    sources: {
      'xkb-data': packageVersion('xkb-data'),
      'libxkbcommon-tools': packageVersion('libxkbcommon-tools'),
      'libx11-data (Compose)': packageVersion('libx11-data'),
      'x11proto-dev (keysymdef.h)': packageVersion('x11proto-dev'),
      '@novnc/novnc (xtscancodes.js)': novnc,
    },
    layouts,
    usTable,
    compose: readCompose(keysyms, dead, bases),
  }
}

/** The file as written: one key per line, so a data update reads as a small diff. */
export function formatLayouts(data: LayoutsFile): string {
  const lines: string[] = ['{']
  lines.push(`  "generatedBy": ${JSON.stringify(data.generatedBy)},`)
  lines.push(`  "sources": ${JSON.stringify(data.sources)},`)
  lines.push('  "layouts": {')
  const ids = Object.keys(data.layouts)
  ids.forEach((id, i) => {
    const l = data.layouts[id]!
    lines.push(`    ${JSON.stringify(id)}: {`)
    lines.push(`      "name": ${JSON.stringify(l.name)}, "xkb": ${JSON.stringify(l.xkb)}, "keyboard": ${JSON.stringify(l.keyboard)}, "altGr": ${l.altGr},`)
    lines.push('      "keys": [')
    l.keys.forEach((k, j) => lines.push(`        ${JSON.stringify(k)}${j < l.keys.length - 1 ? ',' : ''}`))
    lines.push('      ]')
    lines.push(`    }${i < ids.length - 1 ? ',' : ''}`)
  })
  lines.push('  },')
  lines.push('  "usTable": [')
  data.usTable.forEach((k, j) => lines.push(`    ${JSON.stringify(k)}${j < data.usTable.length - 1 ? ',' : ''}`))
  lines.push('  ],')
  lines.push('  "compose": {')
  const deads = Object.keys(data.compose)
  deads.forEach((d, i) => lines.push(`    ${JSON.stringify(d)}: ${JSON.stringify(data.compose[d])}${i < deads.length - 1 ? ',' : ''}`))
  lines.push('  }')
  lines.push('}')
  return lines.join('\n') + '\n'
}

function main(): void {
  const text = formatLayouts(generateLayouts())
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, 'utf8') : ''
    if (current !== text) {
      console.error(`${path.relative(root, OUTPUT)} is out of date: run npx tsx scripts/gen-keyboard-layouts.ts`)
      process.exit(1)
    }
    console.log(`${path.relative(root, OUTPUT)} is up to date`)
    return
  }
  fs.mkdirSync(path.dirname(OUTPUT), { recursive: true })
  fs.writeFileSync(OUTPUT, text)
  console.log(`wrote ${path.relative(root, OUTPUT)}`)
}

if (require.main === module) main()
