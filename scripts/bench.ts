// `npm run bench -- <name> [<name>…]` runs bench/<name>.ts, each in its own Node process;
// with no name it lists the benchmarks. Each bench prints one JSON line per figure.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const benchDir = path.resolve(__dirname, '..', 'bench')

/** Benchmarks are the top-level `bench/*.ts` files; helpers live in sub-folders. */
function benchNames(): string[] {
  return fs
    .readdirSync(benchDir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => e.name.slice(0, -'.ts'.length))
    .sort()
}

function main(): number {
  const names = benchNames()
  const asked = process.argv.slice(2)
  if (asked.length === 0) {
    console.log(`benchmarks: ${names.join(', ')}\nrun one with: npm run bench -- <name>`)
    return 0
  }
  const unknown = asked.filter((n) => !names.includes(n))
  if (unknown.length > 0) {
    console.error(`no such benchmark: ${unknown.join(', ')} (have: ${names.join(', ')})`)
    return 2
  }
  for (const name of asked) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, `${name}.ts`)], {
      cwd: path.dirname(benchDir),
      stdio: 'inherit',
    })
    if (run.status !== 0) {
      console.error(`benchmark ${name} failed (${run.signal ?? `exit ${run.status}`})`)
      return 1
    }
  }
  return 0
}

process.exitCode = main()
