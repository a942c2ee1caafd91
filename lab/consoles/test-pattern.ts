import { Framebuffer } from './framebuffer'
import { GLYPH_ADVANCE } from './font5x7'

/**
 * The built-in RFB server's screen, 640x480. Exact layout, for pixel checks:
 * - y 0-239: eight vertical colour bars, 80 px wide each, left to right BAR_COLOURS;
 * - y 240-479: background 0x202020, with
 *   - the VM's name at (16, 256), white, 5x7 font scaled 4x (24 px per character);
 *   - a UTC clock "HH:MM:SS" at (16, 312), yellow 0xFFFF00, scaled 4x, redrawn every second;
 *   - the typed text (last TYPED_MAX characters) at (16, 368), green 0x00FF00, scaled 3x.
 */
export const PATTERN_WIDTH = 640
export const PATTERN_HEIGHT = 480
export const BAR_HEIGHT = 240
export const BAR_WIDTH = 80
export const BAR_COLOURS = [0xffffff, 0xffff00, 0x00ffff, 0x00ff00, 0xff00ff, 0xff0000, 0x0000ff, 0x000000] as const
export const BACKGROUND = 0x202020
export const NAME_AT = { x: 16, y: 256, scale: 4, colour: 0xffffff } as const
export const CLOCK_AT = { x: 16, y: 312, scale: 4, colour: 0xffff00 } as const
export const TYPED_AT = { x: 16, y: 368, scale: 3, colour: 0x00ff00 } as const
const NAME_MAX = Math.floor((PATTERN_WIDTH - 2 * NAME_AT.x) / (GLYPH_ADVANCE * NAME_AT.scale))
export const TYPED_MAX = Math.floor((PATTERN_WIDTH - 2 * TYPED_AT.x) / (GLYPH_ADVANCE * TYPED_AT.scale))

/** Keysyms the typed line understands besides printable Latin-1 (X11 keysymdef.h). */
const XK_BackSpace = 0xff08

export class TestPattern {
  readonly fb = new Framebuffer(PATTERN_WIDTH, PATTERN_HEIGHT)
  private typed = ''

  constructor(name: string, now: Date) {
    BAR_COLOURS.forEach((colour, i) => this.fb.fillRect({ x: i * BAR_WIDTH, y: 0, w: BAR_WIDTH, h: BAR_HEIGHT }, colour))
    this.fb.fillRect({ x: 0, y: BAR_HEIGHT, w: PATTERN_WIDTH, h: PATTERN_HEIGHT - BAR_HEIGHT }, BACKGROUND)
    this.fb.drawText(NAME_AT.x, NAME_AT.y, name.slice(0, NAME_MAX), NAME_AT.colour, BACKGROUND, NAME_AT.scale)
    this.showTime(now)
  }

  /** What the typed line shows now. */
  typedText(): string {
    return this.typed
  }

  /** Redraws the clock; only the clock's rectangle changes. */
  showTime(now: Date): void {
    const text = now.toISOString().slice(11, 19)
    this.fb.drawText(CLOCK_AT.x, CLOCK_AT.y, text, CLOCK_AT.colour, BACKGROUND, CLOCK_AT.scale)
  }

  /** Echoes a key press: printable keysyms are appended, BackSpace removes one. */
  keyDown(keysym: number): void {
    const before = this.typed
    if (keysym >= 0x20 && keysym <= 0x7e) this.typed = (this.typed + String.fromCharCode(keysym)).slice(-TYPED_MAX)
    else if (keysym === XK_BackSpace) this.typed = this.typed.slice(0, -1)
    if (this.typed === before) return
    // Pad to the old length so a shorter line erases what it replaced.
    const text = this.typed.padEnd(before.length, ' ')
    this.fb.drawText(TYPED_AT.x, TYPED_AT.y, text, TYPED_AT.colour, BACKGROUND, TYPED_AT.scale)
  }
}
