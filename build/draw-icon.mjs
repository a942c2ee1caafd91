// Draws Porthole's icon (a porthole with a console prompt in it) as a PNG, with no dependencies:
//   node build/draw-icon.mjs 1024 build/icon.png && node build/draw-icon.mjs 512 assets/icon.png
// The PNGs are committed; this script is here so the icon can be changed without an image editor.
import fs from 'node:fs'
import zlib from 'node:zlib'

const size = Number(process.argv[2] ?? 512)
const out = process.argv[3] ?? 'icon.png'
const SAMPLES = 4 // per axis: 16 samples a pixel, for smooth edges

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * Math.min(Math.max(t, 0), 1))
const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255)

function roundedRectInside(x, y, m, r) {
  const lo = m + r
  const hi = 1 - m - r
  const cx = Math.min(Math.max(x, lo), hi)
  const cy = Math.min(Math.max(y, lo), hi)
  return x >= m && x <= 1 - m && y >= m && y <= 1 - m && (x - cx) ** 2 + (y - cy) ** 2 <= r * r
}

function segmentDistance(px, py, ax, ay, bx, by) {
  const dx = bx - ax
  const dy = by - ay
  const t = Math.min(Math.max(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy), 0), 1)
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy))
}

const BOLTS = Array.from({ length: 8 }, (_, i) => {
  const a = (i * Math.PI) / 4 + Math.PI / 8
  return [0.5 + 0.315 * Math.cos(a), 0.5 + 0.315 * Math.sin(a)]
})

/** Colour [r,g,b,a] (0..1, straight alpha) at a point of the unit square; later layers paint over earlier ones. */
function shade(x, y) {
  if (!roundedRectInside(x, y, 0.0625, 0.18)) return [0, 0, 0, 0]
  let c = mix(hex('#1d3d5e'), hex('#0a1726'), (y - 0.06) / 0.88)
  const d = Math.hypot(x - 0.5, y - 0.5)
  if (d <= 0.36 && d >= 0.265) {
    // brass ring, lit from the top left
    const light = ((0.5 - x) + (0.5 - y)) / 0.72 + 0.5
    c = mix(hex('#8a5a1c'), hex('#f2c36b'), light)
    for (const [bx, by] of BOLTS) {
      const bd = Math.hypot(x - bx, y - by)
      if (bd <= 0.022) c = mix(hex('#f7dc9c'), hex('#6b4512'), (x - bx + y - by) / 0.044 + 0.5)
    }
  } else if (d < 0.265) {
    // glass
    c = mix(hex('#38c5cf'), hex('#0b3f63'), (y - 0.235) / 0.53)
    if (Math.hypot(x - 0.45, y - 0.45) < 0.235 && Math.hypot(x - 0.5, y - 0.5) > 0.2 && x + y < 0.95) c = mix(c, [1, 1, 1], 0.28)
    // the prompt: ">_"
    const chevron = Math.min(segmentDistance(x, y, 0.385, 0.425, 0.47, 0.5), segmentDistance(x, y, 0.47, 0.5, 0.385, 0.575))
    const underscore = x >= 0.495 && x <= 0.615 && y >= 0.548 && y <= 0.584
    if (chevron <= 0.019 || underscore) c = hex('#f4fbff')
  }
  return [...c, 1]
}

const pixels = Buffer.alloc(size * size * 4)
for (let py = 0; py < size; py++) {
  for (let px = 0; px < size; px++) {
    const acc = [0, 0, 0, 0]
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const [r, g, b, a] = shade((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size)
        acc[0] += r * a
        acc[1] += g * a
        acc[2] += b * a
        acc[3] += a
      }
    }
    const n = SAMPLES * SAMPLES
    const alpha = acc[3] / n
    const o = (py * size + px) * 4
    for (let i = 0; i < 3; i++) pixels[o + i] = alpha === 0 ? 0 : Math.round((acc[i] / n / alpha) * 255)
    pixels[o + 3] = Math.round(alpha * 255)
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

const header = Buffer.alloc(13)
header.writeUInt32BE(size, 0)
header.writeUInt32BE(size, 4)
header[8] = 8 // bit depth
header[9] = 6 // RGBA
const rows = Buffer.alloc(size * (size * 4 + 1))
for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
])
fs.writeFileSync(out, png)
console.log(`${out}: ${size}x${size}, ${png.length} bytes`)
