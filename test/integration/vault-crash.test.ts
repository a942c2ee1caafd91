import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { memoryLog } from '../../main/services/log/log'
import { createVault } from '../../main/services/vault/vault-service'

const ROOT = path.resolve(__dirname, '../..')
const CHILD = 'test/integration/vault-crash-child.ts'
const PASSWORD = 'crash test password'
const KILLS = 200
const TINY = { m: 8, t: 1, p: 1 }
const Generation = z.strictObject({ n: z.number().int(), payload: z.string() })

/**
 * Compiles the child and the modules it imports to CommonJS with TypeScript's own
 * transpiler: `node child.js` starts in about 0.1 s where `node --import tsx` takes 0.25 s,
 * which is the difference between 200 kills taking half a minute or a minute.
 */
function compileChild(outDir: string): string {
  const seen = new Set<string>()
  const queue = [path.join(ROOT, CHILD)]
  while (queue.length > 0) {
    const file = queue.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    const source = fs.readFileSync(file, 'utf8')
    const out = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    }).outputText
    const target = path.join(outDir, path.relative(ROOT, file)).replace(/\.ts$/, '.js')
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.writeFileSync(target, out)
    for (const m of source.matchAll(/from '(\.{1,2}\/[^']+)'/g)) queue.push(path.resolve(path.dirname(file), m[1]! + '.ts'))
  }
  return path.join(outDir, CHILD.replace(/\.ts$/, '.js'))
}

interface Run {
  lines: string[]
  code: number | null
  signal: NodeJS.Signals | null
}

/** Starts the child; kills it `delayMs` after it has opened the vault (or after spawn when `early`). */
function runAndKill(script: string, dir: string, delayMs: number, early: boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dir, PASSWORD], {
      env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    let armed = false
    const arm = (): void => {
      if (armed) return
      armed = true
      setTimeout(() => child.kill('SIGKILL'), delayMs)
    }
    if (early) arm()
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('open ')) arm()
    })
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const deadline = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`child did not open the vault in time: ${out} ${err}`))
    }, 15_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(deadline)
      if (err.trim() !== '') reject(new Error(`child wrote to stderr: ${err}`))
      else resolve({ lines: out.split('\n').filter(Boolean), code, signal })
    })
  })
}

function lastNumber(lines: string[], word: string): number | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const [w, n] = lines[i]!.split(' ')
    if (w === word) return Number(n)
  }
  return undefined
}

describe('vault crash safety', () => {
  let work: string
  let script: string

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-vault-crash-'))
    script = compileChild(path.join(work, 'build'))
  })
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

  async function openGeneration(dir: string): Promise<number> {
    const vault = createVault({ dir, log: memoryLog(), kdf: TINY })
    try {
      await vault.unlock(PASSWORD)
      const g = vault.read('generation', Generation)
      return g?.n ?? 0
    } finally {
      await vault.dispose()
    }
  }

  /** One lane of kills against its own vault; returns how many kills landed mid-save and how far it got. */
  async function killLoop(dir: string, kills: number): Promise<{ midSave: number; advanced: number; last: number }> {
    const first = createVault({ dir, log: memoryLog(), kdf: TINY })
    await first.create(PASSWORD)
    await first.dispose()
    let previous = 0
    let midSave = 0
    let advanced = 0
    for (let i = 0; i < kills; i++) {
      // Most kills land while the child saves in a loop; some during its start (unlock, cleanup).
      const early = i % 10 === 0
      const run = await runAndKill(script, dir, early ? Math.random() * 150 : Math.random() * 40, early)
      expect(run.signal, `child exited by itself: ${run.lines.join(' | ')}`).toBe('SIGKILL')
      const opened = lastNumber(run.lines, 'open')
      if (opened !== undefined) expect(opened).toBe(previous)
      const started = lastNumber(run.lines, 'start') ?? opened ?? previous
      const done = lastNumber(run.lines, 'done') ?? opened ?? previous
      if (started > done) midSave++
      const gen = await openGeneration(dir)
      expect([done, started]).toContain(gen)
      if (gen > previous) advanced++
      previous = gen
    }
    return { midSave, advanced, last: previous }
  }

  it(`SIGKILL at random moments (${KILLS} times): the vault always opens as the old or the new generation`, async () => {
    // Two vaults side by side, so the 200 process starts overlap.
    const lanes = await Promise.all([killLoop(path.join(work, 'a'), KILLS / 2), killLoop(path.join(work, 'b'), KILLS / 2)])
    const midSave = lanes.reduce((n, l) => n + l.midSave, 0)
    const advanced = lanes.reduce((n, l) => n + l.advanced, 0)
    // The kills did land in the middle of saves, and the vaults did move on: the test exercised something.
    expect(midSave).toBeGreaterThanOrEqual(KILLS / 4)
    expect(advanced).toBeGreaterThanOrEqual(KILLS / 2)
    for (const lane of lanes) expect(lane.last).toBeGreaterThan(KILLS / 2)
    // The previous generation is kept beside each vault.
    expect(fs.existsSync(path.join(work, 'a', 'vault.json.bak'))).toBe(true)
  }, 120_000)
})
