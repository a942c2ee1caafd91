// The layout model and the keystroke planner, checked against the layouts' published charts. The
// expected keys below are written by hand from the charts (xkb-data's symbols files, which are the
// charts Linux guests type with, agreeing with the Windows charts on kbdlayout.info except where a
// comment says so), NOT computed by the code under test. Notation: "S" Shift, "G" AltGr, then the
// XT scancode in hex; "a,b" is a dead key a, then b.
import { describe, expect, it } from 'vitest'
import { KEYBOARD_LAYOUTS, keyboardLayout, keyboardLayoutSources, type KeyboardLayoutId } from './layouts'
import { bytesOf } from '../../test/helpers/layout-charts'
import { XK_ALT_R, XK_ISO_LEVEL3_SHIFT, XK_SHIFT_L, keyEvents, planKeystrokes, usKeysymAt, usKeysymForPhysicalKey, type KeyEvent } from './keystrokes'


/** The XT bytes a guest keyboard controller sees for these events. */
function wire(events: KeyEvent[]): number[] {
  return events.flatMap((e) => {
    const low = (e.scancode & 0x7f) | (e.down ? 0 : 0x80)
    return e.scancode > 0xff ? [0xe0, low] : [low]
  })
}

const CHARTS: Record<KeyboardLayoutId, Array<[string, string]>> = {
  'en-US': [['a', '1e'], ['A', 'S1e'], ['@', 'S3'], ['<', 'S33'], ['|', 'S2b'], ['~', 'S29'], ['"', 'S28'], ['_', 'Sc'], ['\\', '2b']],
  'en-GB': [['"', 'S3'], ['£', 'S4'], ['@', 'S28'], ['#', '2b'], ['~', 'S2b'], ['\\', '56'], ['|', 'S56'], ['€', 'G5'], ['¬', 'S29'], ['`', '29']],
  de: [
    ['z', '15'], ['y', '2c'], ['Z', 'S15'], ['ß', 'c'], ['ä', '28'], ['Ö', 'S27'], ['ü', '1a'], ['@', 'G10'], ['€', 'G12'],
    ['{', 'G8'], ['[', 'G9'], [']', 'Ga'], ['}', 'Gb'], ['\\', 'Gc'], ['~', 'G1b'], ['|', 'G56'], ['<', '56'], ['>', 'S56'],
    ['^', '29,39'], ['`', 'Sd,39'], ['é', 'd,12'], ['ê', '29,12'], ['è', 'Sd,12'], ['"', 'S3'], ['§', 'S4'], ['°', 'S29'],
    ['µ', 'G32'], ['²', 'G3'], ['=', 'Sb'], ['?', 'Sc'], ['+', '1b'], ['*', 'S1b'], ['#', '2b'], ["'", 'S2b'], ['-', '35'],
    ['_', 'S35'], [';', 'S33'], [':', 'S34'], ['/', 'S8'], ['&', 'S7'],
  ],
  fr: [
    ['a', '10'], ['q', '1e'], ['z', '11'], ['w', '2c'], ['m', '27'], ['A', 'S10'], ['1', 'S2'], ['0', 'Sb'], ['&', '2'], ['é', '3'],
    ['"', '4'], ["'", '5'], ['(', '6'], ['-', '7'], ['è', '8'], ['_', '9'], ['ç', 'a'], ['à', 'b'], [')', 'c'], ['=', 'd'], ['+', 'Sd'],
    ['#', 'G4'], ['{', 'G5'], ['[', 'G6'], ['|', 'G7'], ['`', 'G8'], ['\\', 'G9'], ['^', 'Ga'], ['@', 'Gb'], [']', 'Gc'], ['}', 'Gd'],
    ['€', 'G12'], ['$', '1b'], ['£', 'S1b'], ['ù', '28'], ['%', 'S28'], ['*', '2b'], ['µ', 'S2b'], ['<', '56'], ['>', 'S56'],
    [',', '32'], ['?', 'S32'], [';', '33'], ['.', 'S33'], [':', '34'], ['/', 'S34'], ['!', '35'], ['§', 'S35'], ['²', '29'],
    ['ê', '1a,12'], ['ë', 'S1a,12'], ['â', '1a,10'],
    // xkb's fr has '~' on Shift+² (level 2 beats AltGr+é); Windows AZERTY has only a dead AltGr+é.
    ['~', 'S29'],
  ],
  es: [
    ['ñ', '27'], ['Ñ', 'S27'], ['ç', '2b'], ['º', '29'], ['ª', 'S29'], ['¡', 'd'], ['¿', 'Sd'], ["'", 'c'], ['?', 'Sc'], ['|', 'G2'],
    ['@', 'G3'], ['#', 'G4'], ['~', 'G5'], ['€', 'G12'], ['[', 'G1a'], [']', 'G1b'], ['{', 'G28'], ['}', 'G2b'], ['á', '28,1e'],
    ['é', '28,12'], ['à', '1a,1e'], ['ü', 'S28,16'], ['^', 'S1a,39'], ['`', '1a,39'], ['<', '56'], ['>', 'S56'], ['-', '35'],
    ['_', 'S35'], ['"', 'S3'], ['·', 'S4'], ['&', 'S7'], ['/', 'S8'], ['(', 'S9'], [')', 'Sa'], ['=', 'Sb'], ['+', '1b'], ['*', 'S1b'],
  ],
  it: [
    ['è', '1a'], ['é', 'S1a'], ['ò', '27'], ['ç', 'S27'], ['à', '28'], ['°', 'S28'], ['ù', '2b'], ['§', 'S2b'], ['\\', '29'],
    ['|', 'S29'], ["'", 'c'], ['?', 'Sc'], ['ì', 'd'], ['^', 'Sd'], ['@', 'G27'], ['#', 'G28'], ['[', 'G1a'], [']', 'G1b'],
    ['€', 'G12'], ['£', 'S4'], ['"', 'S3'], ['&', 'S7'], ['/', 'S8'], ['=', 'Sb'], ['+', '1b'], ['*', 'S1b'], ['<', '56'],
    ['>', 'S56'], ['-', '35'], ['_', 'S35'], [';', 'S33'], [':', 'S34'],
  ],
  'pt-BR': [
    ['ç', '27'], ['Ç', 'S27'], ['ã', '28,1e'], ['õ', '28,18'], ['â', 'S28,1e'], ['é', '1a,12'], ['á', '1a,1e'], ['à', 'S1a,1e'],
    ['/', '73'], ['?', 'S73'], ['\\', '56'], ['|', 'S56'], ["'", '29'], ['"', 'S29'], ['[', '1b'], ['{', 'S1b'], [']', '2b'],
    ['}', 'S2b'], [';', '35'], [':', 'S35'], ['@', 'S3'], ['ü', 'S7,16'],
    // xkb's br types '~' and '^' directly on AltGr and Shift+AltGr of the tilde key; Windows only has them dead.
    ['~', 'G28'], ['^', 'SG28'],
  ],
  sv: [
    ['å', '1a'], ['Å', 'S1a'], ['ä', '28'], ['ö', '27'], ['§', '29'], ['½', 'S29'], ['+', 'c'], ['?', 'Sc'], ["'", '2b'], ['*', 'S2b'],
    ['@', 'G3'], ['£', 'G4'], ['$', 'G5'], ['€', 'G6'], ['{', 'G8'], ['[', 'G9'], [']', 'Ga'], ['}', 'Gb'], ['\\', 'Gc'],
    ['|', 'G56'], ['<', '56'], ['>', 'S56'], ['~', 'G1b,39'], ['^', 'S1b,39'], ['`', 'Sd,39'], ['é', 'd,12'], ['ü', '1b,16'],
    ['"', 'S3'], ['#', 'S4'], ['&', 'S7'], ['/', 'S8'], ['=', 'Sb'],
  ],
  ja: [
    ['@', '1a'], ['`', 'S1a'], ['[', '1b'], ['{', 'S1b'], [']', '2b'], ['}', 'S2b'], [':', '28'], ['*', 'S28'], [';', '27'],
    ['+', 'S27'], ['^', 'd'], ['~', 'Sd'], ['-', 'c'], ['=', 'Sc'], ['\\', '73'], ['_', 'S73'], ['¥', '7d'], ['|', 'S7d'],
    ['"', 'S3'], ["'", 'S8'], ['&', 'S7'], ['(', 'S9'], [')', 'Sa'],
  ],
}

const PRINTABLE_ASCII = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('')

describe('guest keyboard layouts', () => {
  it('has every layout Porthole offers, generated from xkb-data', () => {
    expect([...KEYBOARD_LAYOUTS]).toEqual(['en-US', 'en-GB', 'de', 'fr', 'es', 'it', 'pt-BR', 'sv', 'ja'])
    expect(keyboardLayoutSources()['xkb-data']).toMatch(/^\d+\.\d+/)
    expect(keyboardLayout('de').name).toBe('German')
    expect(keyboardLayout('ja').xkb).toBe('jp(OADG109A)')
    expect(keyboardLayout('en-US').altGr).toBe(false)
    expect(keyboardLayout('de').altGr).toBe(true)
  })

  for (const id of KEYBOARD_LAYOUTS) {
    it(`${id}: types what its chart shows`, () => {
      for (const [char, spec] of CHARTS[id]) {
        const plan = planKeystrokes(char, id, 'scancode')
        expect(plan.untypable, `${id} ${char}`).toEqual([])
        expect(wire(keyEvents(plan)), `${id} ${JSON.stringify(char)} = ${spec}`).toEqual(bytesOf(spec))
      }
    })

    it(`${id}: types every printable ASCII character, on the same keys on both paths`, () => {
      const scancode = planKeystrokes(PRINTABLE_ASCII, id, 'scancode')
      expect(scancode.untypable).toEqual([])
      expect(scancode.chars.map((c) => c.char).join('')).toBe(PRINTABLE_ASCII)
      const keysym = planKeystrokes(PRINTABLE_ASCII, id, 'us-keysym')
      // A US keyboard has no Ro or Yen key: a US-table server cannot press them. ABNT2 prints '/' and
      // '?' on AltGr+Q and AltGr+W too, which a US table can reach.
      expect(keysym.untypable).toEqual(id === 'ja' ? ['\\', '_', '|'] : [])
      const detour: Record<string, string> = id === 'pt-BR' ? { '/': 'G10', '?': 'G11' } : {}
      for (const c of keysym.chars) {
        const expected = detour[c.char] ? bytesOf(detour[c.char]!) : wire(scancode.chars.find((s) => s.char === c.char)!.events)
        expect(wire(c.events), `${id} ${JSON.stringify(c.char)}`).toEqual(expected)
      }
    })
  }

  it('lists untypable characters once each, in order, and types the rest', () => {
    const plan = planKeystrokes('a€b¥a€ж', 'en-US', 'scancode')
    expect(plan.untypable).toEqual(['€', '¥', 'ж'])
    expect(plan.chars.map((c) => c.char).join('')).toBe('aba')
    expect(planKeystrokes('ß', 'fr', 'scancode').untypable).toEqual([]) // AltGr+s in xkb's fr
    expect(planKeystrokes('ñ', 'de', 'scancode').untypable).toEqual(['ñ'])
    expect(planKeystrokes('😀', 'de', 'us-keysym').untypable).toEqual(['😀'])
  })

  it('turns line ends into Enter and tabs into Tab, on every layout', () => {
    for (const id of ['en-US', 'fr'] as const) {
      const plan = planKeystrokes('a\r\nb\rc\nd\te', id, 'us-keysym')
      expect(plan.chars.map((c) => c.char).join('')).toBe('a\nb\nc\nd\te')
      const enter = plan.chars[1]!.events
      expect(enter).toEqual([
        { keysym: 0xff0d, code: 'Enter', scancode: 0x1c, down: true },
        { keysym: 0xff0d, code: 'Enter', scancode: 0x1c, down: false },
      ])
      expect(plan.chars[7]!.events[0]).toEqual({ keysym: 0xff09, code: 'Tab', scancode: 0x0f, down: true })
    }
  })

  it('scancode path: the guest layout\'s keysyms, AltGr as ISO_Level3_Shift on the Right Alt key', () => {
    const [z] = planKeystrokes('z', 'de', 'scancode').chars
    expect(z!.events[0]).toEqual({ keysym: 0x7a, code: 'KeyY', scancode: 0x15, down: true })
    const [at] = planKeystrokes('@', 'de', 'scancode').chars
    expect(at!.events.map((e) => [e.keysym, e.code, e.down])).toEqual([
      [XK_ISO_LEVEL3_SHIFT, 'AltRight', true],
      [0x40, 'KeyQ', true],
      [0x40, 'KeyQ', false],
      [XK_ISO_LEVEL3_SHIFT, 'AltRight', false],
    ])
    const [circ] = planKeystrokes('ê', 'fr', 'scancode').chars
    expect(circ!.events.map((e) => e.keysym)).toEqual([0xfe52, 0xfe52, 0x65, 0x65]) // dead_circumflex, e
  })

  it('us-keysym path: the US keysyms of the same positions, AltGr as Alt_R', () => {
    const keysyms = (text: string, id: KeyboardLayoutId): Array<[string, boolean]> =>
      keyEvents(planKeystrokes(text, id, 'us-keysym')).map((e) => [e.keysym.toString(16), e.down])
    expect(keysyms('z', 'de')).toEqual([['79', true], ['79', false]]) // US 'y'
    expect(keysyms('Z', 'de')).toEqual([[XK_SHIFT_L.toString(16), true], ['59', true], ['59', false], [XK_SHIFT_L.toString(16), false]])
    expect(keysyms('@', 'de')).toEqual([[XK_ALT_R.toString(16), true], ['71', true], ['71', false], [XK_ALT_R.toString(16), false]])
    expect(keysyms('ê', 'fr').filter(([, d]) => d).map(([k]) => k)).toEqual(['5b', '65']) // US '[' then 'e'
    expect(keysyms('ä', 'de').map(([k]) => k)).toEqual(['27', '27']) // US apostrophe
    // The key left of Z: its '<', '>' and '|' are on other US keys too; only '¦' is on it alone.
    expect(keysyms('<', 'de').map(([k]) => k)).toEqual(['a6', 'a6'])
    expect(keysyms('>', 'de').map(([k]) => k)).toEqual(['ffe1', 'a6', 'a6', 'ffe1'])
    expect(keysyms('|', 'de').map(([k]) => k)).toEqual(['ffea', 'a6', 'a6', 'ffea'])
    // Shift+Backslash: US '|' is also on the key left of Z, backslash is not: Shift, then backslash.
    expect(keysyms('~', 'en-GB').map(([k]) => k)).toEqual(['ffe1', '5c', '5c', 'ffe1'])
  })

  it('maps physical keys to US keysyms for keysym-only servers', () => {
    expect(usKeysymForPhysicalKey('KeyY', false)).toBe(0x79)
    expect(usKeysymForPhysicalKey('KeyY', true)).toBe(0x59)
    expect(usKeysymForPhysicalKey('Semicolon', true)).toBe(0x3a)
    expect(usKeysymForPhysicalKey('AltRight', false)).toBe(XK_ALT_R)
    expect(usKeysymForPhysicalKey('F5', false)).toBeUndefined()
    expect(usKeysymForPhysicalKey('IntlRo', false)).toBeUndefined()
    expect(usKeysymAt('IntlBackslash', false, true)).toBe(0xa6) // brokenbar: only that key has it
    expect(usKeysymAt('Digit2', true)).toBe(0x40)
  })
})
