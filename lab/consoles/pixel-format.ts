/** An RFB PIXEL_FORMAT (RFC 6143 §7.4): how a pixel's colour is laid out in bytes. */
export interface PixelFormat {
  bitsPerPixel: number
  depth: number
  bigEndian: boolean
  trueColour: boolean
  redMax: number
  greenMax: number
  blueMax: number
  redShift: number
  greenShift: number
  blueShift: number
}

/** 32 bits per pixel, 24-bit depth, little endian, 0x00RRGGBB: what both our servers and clients use. */
export const TRUE_COLOUR_32: PixelFormat = {
  bitsPerPixel: 32,
  depth: 24,
  bigEndian: false,
  trueColour: true,
  redMax: 255,
  greenMax: 255,
  blueMax: 255,
  redShift: 16,
  greenShift: 8,
  blueShift: 0,
}

export function encodePixelFormat(pf: PixelFormat): Buffer {
  const b = Buffer.alloc(16)
  b.writeUInt8(pf.bitsPerPixel, 0)
  b.writeUInt8(pf.depth, 1)
  b.writeUInt8(pf.bigEndian ? 1 : 0, 2)
  b.writeUInt8(pf.trueColour ? 1 : 0, 3)
  b.writeUInt16BE(pf.redMax, 4)
  b.writeUInt16BE(pf.greenMax, 6)
  b.writeUInt16BE(pf.blueMax, 8)
  b.writeUInt8(pf.redShift, 10)
  b.writeUInt8(pf.greenShift, 11)
  b.writeUInt8(pf.blueShift, 12)
  return b
}

export function decodePixelFormat(b: Buffer): PixelFormat {
  return {
    bitsPerPixel: b.readUInt8(0),
    depth: b.readUInt8(1),
    bigEndian: b.readUInt8(2) !== 0,
    trueColour: b.readUInt8(3) !== 0,
    redMax: b.readUInt16BE(4),
    greenMax: b.readUInt16BE(6),
    blueMax: b.readUInt16BE(8),
    redShift: b.readUInt8(10),
    greenShift: b.readUInt8(11),
    blueShift: b.readUInt8(12),
  }
}

/** Why a pixel format cannot be served, or undefined when it can (true colour, 8/16/32 bpp). */
export function unsupportedPixelFormat(pf: PixelFormat): string | undefined {
  if (!pf.trueColour) return 'colour-map pixel formats are not supported'
  if (![8, 16, 32].includes(pf.bitsPerPixel)) return `bits-per-pixel ${pf.bitsPerPixel} is not valid`
  return undefined
}

/** The pixel value of an 0xRRGGBB colour in a true-colour format. */
export function pixelValue(pf: PixelFormat, rgb: number): number {
  const scale = (c: number, max: number): number => Math.round((c * max) / 255)
  return (
    ((scale((rgb >> 16) & 0xff, pf.redMax) << pf.redShift) |
      (scale((rgb >> 8) & 0xff, pf.greenMax) << pf.greenShift) |
      (scale(rgb & 0xff, pf.blueMax) << pf.blueShift)) >>>
    0
  )
}

/** The 0xRRGGBB colour of a pixel value (inverse of pixelValue). */
export function pixelColour(pf: PixelFormat, value: number): number {
  const scale = (v: number, max: number): number => (max === 0 ? 0 : Math.round((v * 255) / max))
  const r = scale((value >>> pf.redShift) & pf.redMax, pf.redMax)
  const g = scale((value >>> pf.greenShift) & pf.greenMax, pf.greenMax)
  const b = scale((value >>> pf.blueShift) & pf.blueMax, pf.blueMax)
  return (r << 16) | (g << 8) | b
}

export function writePixel(out: Buffer, offset: number, pf: PixelFormat, value: number): void {
  const bytes = pf.bitsPerPixel / 8
  if (bytes === 4) {
    if (pf.bigEndian) out.writeUInt32BE(value, offset)
    else out.writeUInt32LE(value, offset)
  } else if (bytes === 2) {
    if (pf.bigEndian) out.writeUInt16BE(value & 0xffff, offset)
    else out.writeUInt16LE(value & 0xffff, offset)
  } else out.writeUInt8(value & 0xff, offset)
}

export function readPixel(buf: Buffer, offset: number, pf: PixelFormat): number {
  const bytes = pf.bitsPerPixel / 8
  if (bytes === 4) return pf.bigEndian ? buf.readUInt32BE(offset) : buf.readUInt32LE(offset)
  if (bytes === 2) return pf.bigEndian ? buf.readUInt16BE(offset) : buf.readUInt16LE(offset)
  return buf.readUInt8(offset)
}
