import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TRUE_COLOUR_32, decodePixelFormat, encodePixelFormat, pixelColour, pixelValue, readPixel, writePixel, type PixelFormat } from './pixel-format'

const BGR_BE: PixelFormat = { ...TRUE_COLOUR_32, bigEndian: true, redShift: 0, blueShift: 16 }

describe('pixel formats', () => {
  it('encodes and decodes PIXEL_FORMAT', () => {
    expect(decodePixelFormat(encodePixelFormat(BGR_BE))).toEqual(BGR_BE)
    expect(encodePixelFormat(TRUE_COLOUR_32).toString('hex')).toBe('2018000100ff00ff00ff100800000000')
  })

  it('round-trips every 24-bit colour through 32 bpp formats and bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), fc.constantFrom(TRUE_COLOUR_32, BGR_BE), (rgb, pf) => {
        const buf = Buffer.alloc(4)
        writePixel(buf, 0, pf, pixelValue(pf, rgb))
        expect(pixelColour(pf, readPixel(buf, 0, pf))).toBe(rgb)
      }),
    )
  })

  it('lays out 0x00RRGGBB little endian as B, G, R, 0', () => {
    const buf = Buffer.alloc(4)
    writePixel(buf, 0, TRUE_COLOUR_32, pixelValue(TRUE_COLOUR_32, 0x123456))
    expect([...buf]).toEqual([0x56, 0x34, 0x12, 0])
  })
})
