import { GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from './font5x7'

export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

export function unionRect(a: Rect | undefined, b: Rect): Rect {
  if (!a) return b
  const x = Math.min(a.x, b.x)
  const y = Math.min(a.y, b.y)
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y }
}

export function intersectRect(a: Rect, b: Rect): Rect | undefined {
  const x = Math.max(a.x, b.x)
  const y = Math.max(a.y, b.y)
  const w = Math.min(a.x + a.w, b.x + b.w) - x
  const h = Math.min(a.y + a.h, b.y + b.h) - y
  return w > 0 && h > 0 ? { x, y, w, h } : undefined
}

/** An RGB drawing surface that tells its listeners which rectangle each drawing changed. */
export class Framebuffer {
  /** 0xRRGGBB per pixel, row by row. */
  readonly pixels: Uint32Array
  private readonly listeners = new Set<(damage: Rect) => void>()

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = new Uint32Array(width * height)
  }

  pixel(x: number, y: number): number {
    return this.pixels[y * this.width + x] ?? 0
  }

  /** Calls fn with every damaged rectangle until the returned function is called. */
  onDamage(fn: (damage: Rect) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  fillRect(rect: Rect, rgb: number): void {
    const r = this.paint(rect, rgb)
    if (r) this.damage(r)
  }

  /** Draws text with the 5x7 font, each font pixel `scale` screen pixels, on a solid background. */
  drawText(x: number, y: number, text: string, rgb: number, background: number, scale: number): void {
    const box = this.paint({ x, y, w: text.length * GLYPH_ADVANCE * scale, h: GLYPH_HEIGHT * scale }, background)
    for (let i = 0; i < text.length; i++) {
      const gx = x + i * GLYPH_ADVANCE * scale
      glyph(text[i]!).forEach((bits, row) => {
        for (let col = 0; col < GLYPH_WIDTH; col++) {
          if (bits & (1 << (GLYPH_WIDTH - 1 - col))) {
            this.paint({ x: gx + col * scale, y: y + row * scale, w: scale, h: scale }, rgb)
          }
        }
      })
    }
    if (box) this.damage(box)
  }

  /** Fills the visible part of rect, without telling anyone; returns that part. */
  private paint(rect: Rect, rgb: number): Rect | undefined {
    const r = intersectRect(rect, { x: 0, y: 0, w: this.width, h: this.height })
    if (!r) return undefined
    for (let y = r.y; y < r.y + r.h; y++) this.pixels.fill(rgb, y * this.width + r.x, y * this.width + r.x + r.w)
    return r
  }

  private damage(rect: Rect): void {
    for (const l of this.listeners) l(rect)
  }
}
