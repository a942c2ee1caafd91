import type { Duplex } from 'node:stream'

/**
 * Reads exact byte counts from a stream, for the RFB state machines: `read(n)` resolves
 * once n bytes have arrived, in order. A closed or failed stream rejects every pending
 * and later read, so a protocol loop ends instead of hanging.
 */
export class ByteReader {
  private chunks: Buffer[] = []
  private buffered = 0
  private waiting: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined
  private ended: Error | undefined

  constructor(stream: Duplex) {
    stream.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk)
      this.buffered += chunk.length
      this.pump()
    })
    const end = (err?: Error): void => {
      this.ended ??= err ?? new Error('connection closed')
      this.pump()
    }
    stream.on('end', () => end())
    stream.on('close', () => end())
    stream.on('error', (err) => end(err))
  }

  /** Resolves with exactly n bytes. Only one read may be pending at a time. */
  read(n: number): Promise<Buffer> {
    if (this.waiting) return Promise.reject(new Error('ByteReader: concurrent read'))
    return new Promise((resolve, reject) => {
      this.waiting = { n, resolve, reject }
      this.pump()
    })
  }

  async u8(): Promise<number> {
    return (await this.read(1)).readUInt8(0)
  }

  async u16(): Promise<number> {
    return (await this.read(2)).readUInt16BE(0)
  }

  async u32(): Promise<number> {
    return (await this.read(4)).readUInt32BE(0)
  }

  async s32(): Promise<number> {
    return (await this.read(4)).readInt32BE(0)
  }

  private pump(): void {
    const w = this.waiting
    if (!w) return
    if (this.buffered >= w.n) {
      const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks)
      const out = all.subarray(0, w.n)
      const rest = all.subarray(w.n)
      this.chunks = rest.length > 0 ? [rest] : []
      this.buffered = rest.length
      this.waiting = undefined
      w.resolve(out)
    } else if (this.ended) {
      this.waiting = undefined
      w.reject(this.ended)
    }
  }
}
