import { describe, expect, it } from 'vitest'
import { contentTypeOf } from './content-types'

describe('contentTypeOf', () => {
  it('types the files a renderer build holds, text with its charset', () => {
    expect(contentTypeOf('/out/renderer/index.html')).toBe('text/html; charset=utf-8')
    expect(contentTypeOf('assets/index-abc.js')).toBe('text/javascript; charset=utf-8')
    expect(contentTypeOf('assets/index-abc.css')).toBe('text/css; charset=utf-8')
    expect(contentTypeOf('assets/novnc.wasm')).toBe('application/wasm')
  })

  it('serves anything else as plain bytes (with nosniff, never as a page)', () => {
    for (const file of ['notes.txt', 'index.HTML.bak', 'Makefile', 'archive.tar.gz']) {
      expect(contentTypeOf(file), file).toBe('application/octet-stream')
    }
  })
})
