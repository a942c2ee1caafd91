// What a keysym-only console server does with a key event: ESXi (and QEMU when the client does not
// use the extended key event) turns each keysym into a physical key through a US table, then the
// guest's own layout decides what that key types. The lab's built-in RFB server uses this to report
// the scancodes a guest would see, so paste-as-keystrokes can be tested against it.
import { usTableKeys } from '../../contract/keyboard/layouts'

interface Entry {
  scancode: number
  shift: boolean
  altGr: boolean
}

const SHIFT_KEYS = new Set([0x2a, 0x36])
const ALT_GR_KEY = 0xe038

/**
 * Maps keysyms to XT scancode bytes through the US table (xkb's us on pc105, every key: the table
 * QEMU's en-us keymap is generated from). A keysym on several keys goes, on press, to the one whose
 * level matches the Shift and AltGr (Right Alt) keys held, else the first; on release, to the one
 * that is down — QEMU's rule (ui/keymaps.c). Keysyms the table lacks (ISO_Level3_Shift, 'é') press
 * nothing, as on a US-table server. One instance per keyboard: it tracks which keys are down.
 */
export class UsKeysymScancodes {
  private readonly table = new Map<number, Entry[]>()
  private readonly down = new Set<number>()
  /** Keysyms that pressed nothing, oldest first. */
  readonly unmapped: number[] = []

  constructor() {
    for (const key of usTableKeys()) {
      key.levels.forEach((level, i) => {
        if (!level) return
        const list = this.table.get(level[0]) ?? []
        if (!list.some((e) => e.scancode === key.scancode)) list.push({ scancode: key.scancode, shift: (i & 1) === 1, altGr: (i & 2) === 2 })
        this.table.set(level[0], list)
      })
    }
  }

  /** The scancode of the key this event presses or releases, or undefined when the table has none. */
  scancode(keysym: number, down: boolean): number | undefined {
    const entries = this.table.get(keysym)
    if (!entries) {
      if (down) this.unmapped.push(keysym)
      return undefined
    }
    let entry = entries[0]!
    if (entries.length > 1) {
      if (down) {
        const shift = [...SHIFT_KEYS].some((k) => this.down.has(k))
        const altGr = this.down.has(ALT_GR_KEY)
        entry = entries.find((e) => e.shift === shift && e.altGr === altGr) ?? entry
      } else {
        entry = entries.find((e) => this.down.has(e.scancode)) ?? entry
      }
    }
    if (down) this.down.add(entry.scancode)
    else this.down.delete(entry.scancode)
    return entry.scancode
  }

  /** The bytes a PC keyboard controller would deliver: 0xE0 prefix for extended keys, bit 7 set on release. */
  bytes(keysym: number, down: boolean): number[] {
    const code = this.scancode(keysym, down)
    if (code === undefined) return []
    return xtBytes(code, down)
  }
}

/** XT scancode set 1 bytes for a make (down) or break code; extended keys are written 0xE0nn. */
export function xtBytes(scancode: number, down: boolean): number[] {
  const low = (scancode & 0x7f) | (down ? 0 : 0x80)
  return scancode > 0xff ? [scancode >> 8, low] : [low]
}
