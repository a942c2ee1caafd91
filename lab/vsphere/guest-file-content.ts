// The bytes of the lab guests' files, made on the fly from a per-file seed: a 4 GiB disk image
// costs nothing until someone reads it, and any byte range can be recomputed by a test to check
// what a download wrote. Binary files are a 64 KiB pseudo-random block repeated, each copy
// stamped with its block index (so a shifted, dropped or repeated block shows); text files are
// numbered 64-byte lines, so a downloaded log opens as text.

/** Bytes per block of a binary file and per line of a text file. */
const BLOCK = 64 * 1024
const LINE = 64

export interface FileContent {
  kind: 'binary' | 'text'
  seed: number
  size: number
  /** Printed in every line of a text file. */
  label: string
}

const blocks = new Map<number, Buffer>()

/** The 64 KiB block of a seed (xorshift32; a few cached, they are cheap to remake). */
function blockOf(seed: number): Buffer {
  let block = blocks.get(seed)
  if (block) return block
  block = Buffer.allocUnsafe(BLOCK)
  let x = seed >>> 0 || 0x2545f491
  for (let i = 0; i < BLOCK; i += 4) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    block.writeUInt32LE(x >>> 0, i)
  }
  if (blocks.size >= 64) blocks.delete(blocks.keys().next().value as number)
  blocks.set(seed, block)
  return block
}

/** The first 8 bytes of binary block `index`: the index and the seed, little-endian. */
function stamp(seed: number, index: number): Buffer {
  const head = Buffer.allocUnsafe(8)
  head.writeUInt32LE(index >>> 0, 0)
  head.writeUInt32LE((seed ^ Math.floor(index / 2 ** 32)) >>> 0, 4)
  return head
}

function textLine(content: FileContent, n: number): string {
  const head = `${content.label.slice(0, 36)} line ${String(n + 1).padStart(9, '0')} `
  return head.padEnd(LINE - 1, '.').slice(0, LINE - 1) + '\n'
}

/** Bytes [offset, offset+length) of a file (clamped to its size). */
export function readContent(content: FileContent, offset: number, length: number): Buffer {
  const end = Math.min(content.size, offset + length)
  if (end <= offset) return Buffer.alloc(0)
  const out = Buffer.allocUnsafe(end - offset)
  let at = offset
  if (content.kind === 'text') {
    while (at < end) {
      const n = Math.floor(at / LINE)
      const line = Buffer.from(textLine(content, n), 'latin1')
      const from = at - n * LINE
      const take = Math.min(LINE - from, end - at)
      line.copy(out, at - offset, from, from + take)
      at += take
    }
    return out
  }
  const block = blockOf(content.seed)
  while (at < end) {
    const index = Math.floor(at / BLOCK)
    const from = at - index * BLOCK
    const take = Math.min(BLOCK - from, end - at)
    block.copy(out, at - offset, from, from + take)
    if (from < 8) {
      const head = stamp(content.seed, index)
      head.copy(out, at - offset, from, Math.min(8, from + take))
    }
    at += take
  }
  return out
}

/** Label of a text file's lines: the name, printable ASCII only (the lines stay 64 bytes). */
export function contentLabel(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, '?')
}
