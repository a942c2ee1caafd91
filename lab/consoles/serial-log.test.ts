import { describe, expect, it } from 'vitest'
import { parseSerialKeys } from './serial-log'

describe('parseSerialKeys', () => {
  it('reads scancodes and typed characters, skipping the banner, echoed input and an unfinished line', () => {
    const log = 'PORTHOLE LAB READY\r\n2a\r\n23 H\r\na3\r\naa\r\n39  \r\nb9\r\ne0\r\n48\r\nhello\r\n1e'
    expect(parseSerialKeys(log)).toEqual({ scancodes: [0x2a, 0x23, 0xa3, 0xaa, 0x39, 0xb9, 0xe0, 0x48], text: 'H ' })
  })
})
