import { describe, expect, it } from 'vitest'
import { exportBytes, importContent, safeFileName } from './export-download'

const base64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes))

describe('export files', () => {
  it('decodes the base64 bytes exactly', () => {
    const raw = new Uint8Array([0, 1, 2, 250, 255, 128])
    const data = base64(raw)
    expect([...exportBytes({ fileName: 'x', bytes: raw.length, data })]).toEqual([...raw])
  })

  it('keeps file names safe to save', () => {
    expect(safeFileName('porthole-2026-01-01.porthole')).toBe('porthole-2026-01-01.porthole')
    expect(safeFileName('../../etc/passwd')).toBe('_.._etc_passwd')
    expect(safeFileName('a:b*c?.json')).toBe('a_b_c_.json')
    expect(safeFileName('')).toBe('porthole-export.json')
  })

  it('sends JSON files as text and anything else as base64', () => {
    const json = new TextEncoder().encode('  {"format":"porthole-export"}')
    expect(importContent(json)).toBe('  {"format":"porthole-export"}')
    const binary = new Uint8Array([0xff, 0xfe, 0x00, 0x41])
    expect(importContent(binary)).toBe(base64(binary))
  })
})
