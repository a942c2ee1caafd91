import { describe, expect, it } from 'vitest'
import { isReservedName, safeFileName, withSuffix } from './file-name'

describe('safeFileName', () => {
  it.each([
    ['report.csv', 'report.csv'],
    ['../../etc/passwd', '.._.._etc_passwd'],
    ['C:\\Windows\\win.ini', 'C__Windows_win.ini'],
    ['..', 'download'],
    ['', 'download'],
    ['   ', 'download'],
    ['NUL.txt', '_NUL.txt'],
    ['com1', '_com1'],
    ['CON .log', '_CON .log'],
    ['console.log', 'console.log'],
    ['a\u0000b\nc', 'a_b_c'],
    ['invoice\u202Efdp.exe', 'invoice_fdp.exe'],
    ['name. . .', 'name'],
    ['e\u0301t\u00e9', '\u00e9t\u00e9'],
  ])('%j → %j', (raw, safe) => {
    expect(safeFileName(raw)).toBe(safe)
  })
  it('shortens long names to 240 bytes on a character boundary and keeps the extension', () => {
    const name = safeFileName('日'.repeat(200) + '.txt')
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(240)
    expect(name.endsWith('.txt')).toBe(true)
    expect(name).not.toContain('\ufffd')
  })
  it('knows the device names', () => {
    expect(isReservedName('LPT¹.txt')).toBe(true)
    expect(isReservedName('lpt10')).toBe(false)
    expect(withSuffix('a.tar.gz', 1)).toBe('a.tar (1).gz')
  })
})
