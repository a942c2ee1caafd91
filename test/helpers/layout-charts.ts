// Hand-written guest keyboard charts for the layout matrix (en-US, en-GB, de, fr, ja): which key, with
// which modifiers, types each printable ASCII character and each of the layout's own characters, and
// the XT bytes a guest reads for that. Shared by test/integration/keyboard-layouts.test.ts (RFB level)
// and test/e2e/console-layouts.spec.ts / console-keyboard.spec.ts (in Chromium). The keys are written
// here by hand from the layouts' published charts (the xkb symbols files Linux guests use; the Windows
// charts on kbdlayout.info agree for every character here except fr '~', see below), NOT computed by
// the planner under test (contract/keyboard), which this module does not import.

/**
 * A layout chart: per key, its XT scancode (hex) and what it types without modifiers, with Shift,
 * with AltGr ('' or missing: nothing we type there). Each character appears once.
 */
export type Chart = Array<[string, string, string?, string?]>

/** The layouts the matrix covers. */
export type ChartedLayout = 'en-US' | 'en-GB' | 'de' | 'fr' | 'ja'

const QWERTY_LETTERS: Chart = [
  ...[...'qwertyuiop'].map((c, i): [string, string, string] => [(0x10 + i).toString(16), c, c.toUpperCase()]),
  ...[...'asdfghjkl'].map((c, i): [string, string, string] => [(0x1e + i).toString(16), c, c.toUpperCase()]),
  ...[...'zxcvbnm'].map((c, i): [string, string, string] => [(0x2c + i).toString(16), c, c.toUpperCase()]),
]
const SPACE: Chart = [['39', ' ']]

/**
 * Per layout: the chart, the layout's own characters the matrix types besides printable ASCII, and
 * dead-key sequences ("dead key stroke,base stroke", strokes as in `bytesOf`).
 */
export const CHARTS: Record<ChartedLayout, { chart: Chart; own: string; dead?: Record<string, string> }> = {
  'en-US': {
    own: '',
    chart: [
      ...SPACE, ...QWERTY_LETTERS,
      ['29', '`', '~'], ['2', '1', '!'], ['3', '2', '@'], ['4', '3', '#'], ['5', '4', '$'], ['6', '5', '%'], ['7', '6', '^'],
      ['8', '7', '&'], ['9', '8', '*'], ['a', '9', '('], ['b', '0', ')'], ['c', '-', '_'], ['d', '=', '+'],
      ['1a', '[', '{'], ['1b', ']', '}'], ['2b', '\\', '|'], ['27', ';', ':'], ['28', "'", '"'],
      ['33', ',', '<'], ['34', '.', '>'], ['35', '/', '?'],
    ],
  },
  'en-GB': {
    own: '£€¬',
    chart: [
      ...SPACE, ...QWERTY_LETTERS,
      ['29', '`', '¬'], ['2', '1', '!'], ['3', '2', '"'], ['4', '3', '£'], ['5', '4', '$', '€'], ['6', '5', '%'], ['7', '6', '^'],
      ['8', '7', '&'], ['9', '8', '*'], ['a', '9', '('], ['b', '0', ')'], ['c', '-', '_'], ['d', '=', '+'],
      ['1a', '[', '{'], ['1b', ']', '}'], ['27', ';', ':'], ['28', "'", '@'], ['2b', '#', '~'],
      ['56', '\\', '|'], ['33', ',', '<'], ['34', '.', '>'], ['35', '/', '?'],
    ],
  },
  // German pc105: QWERTZ, AltGr for @ [ ] { } \ | ~ €, dead ^ ´ `.
  de: {
    own: 'äöüÄÖÜß€§°µ²³éèê',
    chart: [
      ...SPACE,
      ...[...'qwertzuiop'].map((c, i): [string, string, string] => [(0x10 + i).toString(16), c, c.toUpperCase()]),
      ...[...'asdfghjkl'].map((c, i): [string, string, string] => [(0x1e + i).toString(16), c, c.toUpperCase()]),
      ...[...'yxcvbn'].map((c, i): [string, string, string] => [(0x2c + i).toString(16), c, c.toUpperCase()]),
      ['29', '', '°'], ['2', '1', '!'], ['3', '2', '"', '²'], ['4', '3', '§', '³'], ['5', '4', '$'], ['6', '5', '%'], ['7', '6', '&'],
      ['8', '7', '/', '{'], ['9', '8', '(', '['], ['a', '9', ')', ']'], ['b', '0', '=', '}'], ['c', 'ß', '?', '\\'],
      ['10', '', '', '@'], ['12', '', '', '€'], ['1a', 'ü', 'Ü'], ['1b', '+', '*', '~'],
      ['27', 'ö', 'Ö'], ['28', 'ä', 'Ä'], ['2b', '#', "'"],
      ['56', '<', '>', '|'], ['32', 'm', 'M', 'µ'], ['33', ',', ';'], ['34', '.', ':'], ['35', '-', '_'],
    ],
    // Dead keys: ^ (29), ´ (d) and ` (Shift+d); a dead key then space types the accent itself.
    dead: { '^': '29,39', '`': 'Sd,39', é: 'd,12', è: 'Sd,12', ê: '29,12' },
  },
  // French AZERTY (pc105).
  fr: {
    own: 'éèàçùµ§£€²°êëâ',
    chart: [
      ...SPACE,
      ...[...'azertyuiop'].map((c, i): [string, string, string] => [(0x10 + i).toString(16), c, c.toUpperCase()]),
      ...[...'qsdfghjklm'].map((c, i): [string, string, string] => [(0x1e + i).toString(16), c, c.toUpperCase()]),
      ...[...'wxcvbn'].map((c, i): [string, string, string] => [(0x2c + i).toString(16), c, c.toUpperCase()]),
      // xkb's fr types '~' with Shift+² (Windows AZERTY only has a dead ~ on AltGr+é).
      ['29', '²', '~'], ['2', '&', '1'], ['3', 'é', '2'], ['4', '"', '3', '#'], ['5', "'", '4', '{'], ['6', '(', '5', '['],
      ['7', '-', '6', '|'], ['8', 'è', '7', '`'], ['9', '_', '8', '\\'], ['a', 'ç', '9', '^'], ['b', 'à', '0', '@'],
      ['c', ')', '°', ']'], ['d', '=', '+', '}'], ['12', '', '', '€'], ['1b', '$', '£'], ['28', 'ù', '%'], ['2b', '*', 'µ'],
      ['56', '<', '>'], ['32', ',', '?'], ['33', ';', '.'], ['34', ':', '/'], ['35', '!', '§'],
    ],
    // Dead keys: ^ and ¨ (Shift) on 1a.
    dead: { ê: '1a,12', ë: 'S1a,12', â: '1a,10' },
  },
  // Japanese JIS (OADG 109A): Yen key (7d) and Ro key (73) besides the US positions.
  ja: {
    own: '¥',
    chart: [
      ...SPACE, ...QWERTY_LETTERS,
      ['2', '1', '!'], ['3', '2', '"'], ['4', '3', '#'], ['5', '4', '$'], ['6', '5', '%'], ['7', '6', '&'], ['8', '7', "'"],
      ['9', '8', '('], ['a', '9', ')'], ['b', '0'], ['c', '-', '='], ['d', '^', '~'], ['7d', '¥', '|'],
      ['1a', '@', '`'], ['1b', '[', '{'], ['27', ';', '+'], ['28', ':', '*'], ['2b', ']', '}'],
      ['33', ',', '<'], ['34', '.', '>'], ['35', '/', '?'], ['73', '\\', '_'],
    ],
  },
}

export const LAYOUTS = Object.keys(CHARTS) as ChartedLayout[]

export const PRINTABLE_ASCII = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('')

/**
 * What a keysym-only server with a US table (ESXi, QEMU without the extension, the lab's built-in
 * source) cannot be made to press: the JIS Ro and Yen keys, so on ja these characters are left out.
 */
export const US_TABLE_CANNOT: Record<ChartedLayout, string[]> = { 'en-US': [], 'en-GB': [], de: [], fr: [], ja: ['\\', '_', '|', '¥'] }

/** char -> "S"/"G" + scancode, or "a,b" for a dead key then a base, from the hand-written chart. */
export function specs(layout: ChartedLayout): Map<string, string> {
  const out = new Map<string, string>()
  for (const [code, ...levels] of CHARTS[layout].chart) {
    levels.forEach((char, i) => {
      if (!char) return
      if (out.has(char)) throw new Error(`chart ${layout}: ${char} twice`)
      out.set(char, `${['', 'S', 'G'][i]}${code}`)
    })
  }
  for (const [char, spec] of Object.entries(CHARTS[layout].dead ?? {})) out.set(char, spec)
  return out
}

/** The XT bytes a spec stands for: Shift then AltGr down, the key, then the modifiers up in reverse. */
export function bytesOf(spec: string): number[] {
  const out: number[] = []
  for (const stroke of spec.split(',')) {
    const m = /^(S?)(G?)([0-9a-f]+)$/.exec(stroke)
    if (!m) throw new Error(`bad spec ${spec}`)
    const code = parseInt(m[3]!, 16)
    if (m[1]) out.push(0x2a)
    if (m[2]) out.push(0xe0, 0x38)
    out.push(code, code | 0x80)
    if (m[2]) out.push(0xe0, 0xb8)
    if (m[1]) out.push(0xaa)
  }
  return out
}

/** The matrix text for a layout: every printable ASCII character, then the layout's own characters. */
export function textFor(layout: ChartedLayout): string {
  return PRINTABLE_ASCII + CHARTS[layout].own
}

/** One character of the text and the bytes the guest must read for it. */
export interface CharBytes {
  char: string
  bytes: number[]
}

/** What the guest must read for `text` (default: the matrix text), character by character; `skip` (untypable) characters are not sent. */
export function expectedChars(layout: ChartedLayout, skip: readonly string[] = [], text = textFor(layout)): CharBytes[] {
  const chart = specs(layout)
  return [...text].filter((c) => !skip.includes(c)).map((char) => {
    const spec = chart.get(char)
    if (!spec) throw new Error(`chart ${layout} has no ${JSON.stringify(char)}`)
    return { char, bytes: bytesOf(spec) }
  })
}

/** What the guest must read, for the characters that are sent (untypable ones are not). */
export function expectedBytes(layout: ChartedLayout, skip: readonly string[] = []): number[] {
  return expectedChars(layout, skip).flatMap((c) => c.bytes)
}

/** How many bytes the guest reads for these characters. */
export function byteCount(chars: readonly CharBytes[]): number {
  return chars.reduce((n, c) => n + c.bytes.length, 0)
}

export function hex(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')
}

/**
 * Undefined when `got` is exactly the bytes of `want`; else where they first differ: the byte's
 * index, the character being typed there and its chart bytes, and both sides around it.
 */
export function firstDifference(got: readonly number[], want: readonly CharBytes[]): string | undefined {
  const wantBytes = want.flatMap((c) => c.bytes)
  let at = wantBytes.findIndex((b, i) => got[i] !== b)
  if (at === -1) {
    if (got.length === wantBytes.length) return undefined
    at = wantBytes.length
  }
  let offset = 0
  let where = 'after the last character (extra bytes)'
  for (const [i, c] of want.entries()) {
    if (at < offset + c.bytes.length) {
      const code = c.char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')
      where = `in ${JSON.stringify(c.char)} (U+${code}, chart bytes ${hex(c.bytes)}, character ${i + 1} of ${want.length})`
      break
    }
    offset += c.bytes.length
  }
  const around = (bytes: readonly number[]): string => hex(bytes.slice(Math.max(0, at - 6), at + 10))
  return `first difference at byte ${at} ${where}: want …${around(wantBytes)}…, got …${around(got)}… (lengths want ${wantBytes.length}, got ${got.length})`
}
