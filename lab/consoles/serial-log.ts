/**
 * Reads the lab boot sector's serial output (see boot/boot.S): a banner line, then one
 * line per byte the guest read from the keyboard controller — two hex digits, then a space
 * and the character for a make code that has one — each line ending in CR LF.
 */
export const SERIAL_BANNER = 'PORTHOLE LAB READY'

export interface SerialKeys {
  /** Every keyboard-controller byte, in order (make and break codes, 0xE0 prefixes). */
  scancodes: number[]
  /** The characters of the make codes, in order: what was typed. */
  text: string
}

const KEY_LINE = /^([0-9a-f]{2})(?: (.))?$/

/** Parses a serial log; lines that are not key lines (the banner, echoed serial input) are skipped. */
export function parseSerialKeys(log: string): SerialKeys {
  const scancodes: number[] = []
  let text = ''
  const lines = log.split('\r\n')
  lines.pop() // an unfinished line is read next time
  for (const line of lines) {
    const m = KEY_LINE.exec(line)
    if (!m) continue
    scancodes.push(parseInt(m[1]!, 16))
    if (m[2] !== undefined) text += m[2]
  }
  return { scancodes, text }
}
