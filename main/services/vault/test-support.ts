import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { KdfParams } from './kdf'
import type { KeyProtector } from './key-protector'

/** Argon2id's minimum costs: tests of everything but the costs themselves run in microseconds. */
export const TINY_KDF: KdfParams = { m: 8, t: 1, p: 1 }

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `porthole-${prefix}-`))
}

/** A stand-in for safeStorage: XOR with a fixed pad, which is enough to prove the key went through it. */
export function fakeProtector(available: { ok: true } | { ok: false; reason: string } = { ok: true }): KeyProtector & { calls: string[] } {
  const pad = Buffer.alloc(64, 0x5a)
  const xor = (b: Buffer): Buffer => Buffer.from(b.map((byte, i) => byte ^ (pad[i % pad.length] ?? 0)))
  const calls: string[] = []
  return {
    calls,
    available: () => available,
    protect: (b) => {
      calls.push('protect')
      return Buffer.concat([Buffer.from('fake:'), xor(b)])
    },
    unprotect: (b) => {
      calls.push('unprotect')
      if (!b.subarray(0, 5).equals(Buffer.from('fake:'))) throw new Error('not ours')
      return xor(b.subarray(5))
    },
  }
}
