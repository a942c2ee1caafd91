import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The boot sector's GNU as source, committed next to this file. */
export const BOOT_SOURCE = path.join(__dirname, 'boot', 'boot.S')

/**
 * Assembles boot/boot.S with GNU as, ld and objcopy into `<dataDir>/boot.bin` (or
 * `boot-animated.bin`, see boot.S) and returns its path. We build from our own source at
 * lab start so no binary sits in the repository.
 */
export async function buildBootImage(dataDir: string, options: { animate?: boolean } = {}): Promise<string> {
  fs.mkdirSync(dataDir, { recursive: true })
  const name = options.animate ? 'boot-animated' : 'boot'
  const object = path.join(dataDir, `${name}.o`)
  const elf = path.join(dataDir, `${name}.elf`)
  const image = path.join(dataDir, `${name}.bin`)
  try {
    await run('as', ['--32', ...(options.animate ? ['--defsym', 'ANIMATE=1'] : []), BOOT_SOURCE, '-o', object])
    await run('ld', ['-m', 'elf_i386', '-Ttext=0x7c00', '-o', elf, object])
    await run('objcopy', ['-O', 'binary', '-j', '.text', elf, image])
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string }
    if (e.code === 'ENOENT') throw new Error('GNU binutils (as, ld, objcopy) are not installed', { cause: err })
    throw new Error(`assembling the boot sector failed: ${e.stderr ?? e.message}`, { cause: err })
  }
  const bytes = fs.readFileSync(image)
  if (bytes.length !== 512 || bytes[510] !== 0x55 || bytes[511] !== 0xaa) {
    throw new Error(`boot sector is ${bytes.length} bytes or lacks its 0x55AA signature`)
  }
  return image
}
