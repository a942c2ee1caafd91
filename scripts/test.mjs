// `npm test`: every check and every test — lint, typecheck, build, unit + integration (vitest),
// end-to-end (Playwright in Debian's Chromium) — then one line of totals read from the runners'
// JSON reports: `tests: N passed, N failed`. Exits non-zero on any failure or on zero tests run.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const reports = path.join(root, 'reports')
const bin = (name) => path.join(root, 'node_modules', '.bin', name)
const only = process.argv.slice(2) // optional: a subset of step names

fs.rmSync(reports, { recursive: true, force: true }) // a stale report must never be counted
fs.mkdirSync(reports, { recursive: true })

const steps = [
  { name: 'lint', cmd: bin('eslint'), args: ['.'] },
  { name: 'typecheck', cmd: bin('tsc'), args: ['-b'] },
  { name: 'build', cmd: bin('electron-vite'), args: ['build'] },
  {
    name: 'vitest',
    cmd: bin('vitest'),
    args: ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(reports, 'vitest.json')}`],
  },
  {
    name: 'e2e',
    cmd: bin('playwright'),
    args: ['test'],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(reports, 'playwright.json') },
  },
]

const failedSteps = []
for (const step of steps) {
  if (only.length > 0 && !only.includes(step.name)) continue
  console.log(`\n=== ${step.name} ===`)
  const started = Date.now()
  const run = spawnSync(step.cmd, step.args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...step.env } })
  const secs = ((Date.now() - started) / 1000).toFixed(1)
  if (run.status !== 0) {
    failedSteps.push(step.name)
    console.log(`=== ${step.name}: FAILED (exit ${run.status ?? run.signal}) in ${secs}s ===`)
  } else {
    console.log(`=== ${step.name}: ok in ${secs}s ===`)
  }
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

let passed = 0
let failed = 0
let skipped = 0

const vitest = readJson(path.join(reports, 'vitest.json'))
if (vitest) {
  passed += vitest.numPassedTests ?? 0
  failed += vitest.numFailedTests ?? 0
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0)
  // A file that fails to import adds nothing to numFailedTests: count it as a failure.
  for (const file of vitest.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).every((a) => a.status !== 'failed')) {
      failed += 1
      console.log(`vitest: ${path.relative(root, file.name)} failed outside any test: ${(file.message ?? '').split('\n')[0]}`)
    }
  }
} else if (only.length === 0 || only.includes('vitest')) {
  console.log('vitest: no report')
  failed += 1
}

const pw = readJson(path.join(reports, 'playwright.json'))
if (pw) {
  passed += (pw.stats?.expected ?? 0) + (pw.stats?.flaky ?? 0)
  failed += pw.stats?.unexpected ?? 0
  skipped += pw.stats?.skipped ?? 0
  // A spec that fails to import aborts the run with an entry in errors[] and no counts.
  for (const error of pw.errors ?? []) {
    failed += 1
    console.log(`playwright: ${(error.message ?? '').split('\n')[0]}`)
  }
} else if (only.length === 0 || only.includes('e2e')) {
  console.log('playwright: no report')
  failed += 1
}

if (failedSteps.length > 0) console.log(`failed steps: ${failedSteps.join(', ')}`)
const ok = failedSteps.length === 0 && failed === 0 && passed > 0
if (passed + failed === 0) console.log('no tests were executed')
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(ok ? 0 : 1)
