// Vault benchmarks: `npm run bench -- vault` or `npx tsx bench/vault.ts`. One JSON line per figure.
//   vault.unlock_ms   unlock with the production Argon2id costs (median of 5; target 0.5–1 s)
//   vault.save_ratio  saving a vault of 1,000 profiles vs writing the same JSON plainly with
//                     fsync + rename, measured side by side, interleaved (target ≤ 3)
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { logFromSink } from '../main/services/log/log'
import { DEFAULT_KDF } from '../main/services/vault/kdf'
import { createVault } from '../main/services/vault/vault-service'
import { median } from './statistics'

const PASSWORD = 'bench master password'
const UNLOCK_RUNS = 5
const SAVE_RUNS = 31
const quiet = logFromSink(() => undefined)

const round = (n: number, digits = 1): number => Number(n.toFixed(digits))

function profiles(count: number): unknown[] {
  const kinds = ['vsphere', 'openstack', 'zstack', 'vnc'] as const
  return Array.from({ length: count }, (_, i) => ({
    id: crypto.randomUUID(),
    kind: kinds[i % 4],
    name: `connection ${i}`,
    endpoint: `https://vc${i}.lab.example:443/`,
    user: `administrator${i}@vsphere.local`,
    secret: crypto.randomBytes(18).toString('base64'),
    project: i % 4 === 1 ? `project-${i}` : undefined,
    trust: i % 3 === 0 ? { mode: 'pinned', fingerprints: [crypto.randomBytes(32).toString('hex')] } : { mode: 'system' },
    createdAt: new Date(1_700_000_000_000 + i * 1000).toISOString(),
    updatedAt: new Date(1_700_000_000_000 + i * 2000).toISOString(),
  }))
}

/** The baseline: the same JSON written the plain careful way (temp file, fsync, rename). */
async function plainSave(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.tmp`
  const handle = await fs.promises.open(tmp, 'w', 0o600)
  await handle.writeFile(JSON.stringify(value))
  await handle.sync()
  await handle.close()
  await fs.promises.rename(tmp, file)
}

async function benchUnlock(dir: string): Promise<void> {
  const setup = createVault({ dir, log: quiet })
  await setup.create(PASSWORD)
  await setup.dispose()
  const runs: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < UNLOCK_RUNS; i++) {
    const vault = createVault({ dir, log: quiet })
    const cpuStart = process.cpuUsage()
    const start = performance.now()
    await vault.unlock(PASSWORD)
    runs.push(round(performance.now() - start))
    const used = process.cpuUsage(cpuStart)
    cpu.push(round((used.user + used.system) / 1000))
    await vault.dispose()
  }
  const value = median(runs)
  console.log(
    JSON.stringify({
      bench: 'vault.unlock_ms',
      value,
      unit: 'ms',
      target: '500-1000',
      ok: value >= 500 && value <= 1000,
      kdf: { alg: 'argon2id', m_kib: DEFAULT_KDF.m, t: DEFAULT_KDF.t, p: DEFAULT_KDF.p },
      runs,
      // CPU time of all Argon2 lanes: the work itself, which does not change with the load of the machine.
      cpu_ms: median(cpu),
      // A shared 2-core machine: say how busy it was, since Argon2 with p=4 wants every core.
      loadavg: round(os.loadavg()[0] ?? 0, 2),
      cpus: os.cpus().length,
    }),
  )
}

async function benchSave(dir: string): Promise<void> {
  const data = profiles(1000)
  const vault = createVault({ dir, log: quiet })
  await vault.unlock(PASSWORD)
  const plainFile = path.join(dir, 'plain.json')
  // Warm both paths (page cache, JIT) equally before measuring.
  await vault.write('profiles', data)
  await plainSave(plainFile, data)
  const vaultRuns: number[] = []
  const plainRuns: number[] = []
  const timeVault = async (): Promise<void> => {
    const start = performance.now()
    await vault.write('profiles', data)
    vaultRuns.push(round(performance.now() - start, 2))
  }
  const timePlain = async (): Promise<void> => {
    const start = performance.now()
    await plainSave(plainFile, data)
    plainRuns.push(round(performance.now() - start, 2))
  }
  for (let i = 0; i < SAVE_RUNS; i++) {
    // Interleaved (A B, then B A), so load from other processes hits both paths alike.
    if (i % 2 === 0) {
      await timeVault()
      await timePlain()
    } else {
      await timePlain()
      await timeVault()
    }
  }
  await vault.dispose()
  const vaultMs = median(vaultRuns)
  const plainMs = median(plainRuns)
  const value = round(vaultMs / plainMs, 2)
  console.log(
    JSON.stringify({
      bench: 'vault.save_ratio',
      value,
      unit: 'ratio',
      target: '<=3',
      ok: value <= 3,
      vault_ms: vaultMs,
      plain_ms: plainMs,
      bytes: { vault: fs.statSync(path.join(dir, 'vault.json')).size, plain: fs.statSync(plainFile).size },
      profiles: data.length,
      loadavg: round(os.loadavg()[0] ?? 0, 2),
      vault_runs: vaultRuns,
      plain_runs: plainRuns,
    }),
  )
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-vault-'))
  try {
    await benchUnlock(dir)
    await benchSave(dir)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
