// Every hostile guest file name becomes a safe local one, on POSIX and Windows rules at once
// (fast-check over generated names), and the names really can be created in a folder here.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { MAX_NAME_BYTES, safeFileName, withSuffix } from '../../main/services/downloads/file-name'
import { guestBaseName } from '../../main/services/downloads/download-service'

// eslint-disable-next-line no-control-regex -- control characters are exactly what is checked
const WINDOWS_FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f]/u
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i

/** The POSIX rules: a single non-empty component, no '/', no NUL, not '.' or '..', at most 255 bytes. */
function posixProblems(name: string): string[] {
  const out: string[] = []
  if (name === '') out.push('empty')
  if (name.includes('/')) out.push('separator')
  if (name.includes('\0')) out.push('NUL')
  if (name === '.' || name === '..') out.push('dot name')
  if (Buffer.byteLength(name) > 255) out.push('too long')
  return out
}

/** The Windows rules: no forbidden characters, no device names, no trailing dot or space. */
function windowsProblems(name: string): string[] {
  const out: string[] = []
  if (WINDOWS_FORBIDDEN.test(name)) out.push('forbidden character')
  if (WINDOWS_RESERVED.test((name.split('.')[0] ?? '').replace(/ +$/u, ''))) out.push('reserved name')
  if (/[. ]$/u.test(name)) out.push('trailing dot or space')
  if (name.length > 255) out.push('too long')
  return out
}

// Names built from the pieces that cause trouble, and plain unicode strings.
const piece = fc.constantFrom('.', '..', '/', '\\', ':', '*', '?', '"', '<', '>', '|', ' ', '\u0000', '\n', '\t', '\u0007', '\u007f', '\u202e', '\u200f', 'CON', 'nul', 'Com1', 'LPT9', 'aux', 'é', 'e\u0301', '日本', '📦', 'a', 'txt', '.txt', '~')
const hostile = fc.oneof(
  fc.array(piece, { maxLength: 40 }).map((p) => p.join('')),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 400 }),
  fc.tuple(fc.constantFrom('CON', 'PRN', 'nul', 'COM3', 'lpt1', 'AUX'), fc.constantFrom('', '.txt', ' .log', '.tar.gz', ' ')).map(([a, b]) => a + b),
)

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-names-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('safeFileName', () => {
  it('gives a name that breaks no POSIX and no Windows rule, within the byte limit, and is stable', () => {
    fc.assert(
      fc.property(hostile, (raw) => {
        const name = safeFileName(raw)
        expect(posixProblems(name)).toEqual([])
        expect(windowsProblems(name)).toEqual([])
        expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_NAME_BYTES)
        // eslint-disable-next-line no-control-regex -- control characters are exactly what is checked
        expect(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u.test(name)).toBe(false)
        expect(safeFileName(name)).toBe(name)
        // With a collision suffix and `.part` it still fits in 255 bytes.
        expect(Buffer.byteLength(`${withSuffix(name, 9999)}.part`)).toBeLessThanOrEqual(255)
      }),
      { numRuns: 3000 },
    )
  })

  it('keeps ordinary names as they are and the extension of long ones', () => {
    expect(safeFileName('report-001.csv')).toBe('report-001.csv')
    expect(safeFileName('.bashrc')).toBe('.bashrc')
    expect(safeFileName('naïve résumé ✓.txt')).toBe('naïve résumé ✓.txt')
    expect(safeFileName('x'.repeat(300) + '.tar.gz')).toMatch(/^x+\.gz$/)
    expect(safeFileName('..')).toBe('download')
    expect(safeFileName('../../etc/passwd')).toBe('.._.._etc_passwd')
    expect(safeFileName('CON.txt')).toBe('_CON.txt')
    expect(safeFileName('trailing dot.')).toBe('trailing dot')
  })

  it('names it gives can be created here, and stay inside the folder', () => {
    fc.assert(
      fc.property(hostile, (raw) => {
        const name = safeFileName(raw)
        const full = path.join(dir, name)
        expect(path.dirname(full)).toBe(dir)
        fs.writeFileSync(full, 'x')
        fs.rmSync(full)
      }),
      { numRuns: 500 },
    )
  })

  it('takes the last component of guest paths in the guest\'s own syntax', () => {
    expect(guestBaseName('/var/log/syslog')).toBe('syslog')
    expect(guestBaseName('C:\\Users\\Administrator\\Desktop\\notes.txt')).toBe('notes.txt')
    expect(guestBaseName('/home/demo/odd names/back\\slash.txt')).toBe('back\\slash.txt')
    expect(withSuffix('report.csv', 2)).toBe('report (2).csv')
    expect(withSuffix('.bashrc', 1)).toBe('.bashrc (1)')
  })
})
