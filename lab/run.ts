// `npm run lab`: starts every local simulator and prints their endpoints.
// Flags: --vms N (default 40), --seed N (default 1), --only name[,name].
import os from 'node:os'
import path from 'node:path'
import { startLab } from './lab'

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

async function main(): Promise<void> {
  const only = flag('only')?.split(',')
  const lab = await startLab({
    vms: Number(flag('vms') ?? 40),
    seed: Number(flag('seed') ?? 1),
    dataDir: flag('data') ?? path.join(os.tmpdir(), 'porthole-lab'),
    ...(only ? { only } : {}),
  })
  if (lab.running.length === 0) console.log('The lab has no simulators yet.')
  for (const sim of lab.running) {
    console.log(`${sim.name}:`)
    for (const [key, value] of Object.entries(sim.endpoints)) console.log(`  ${key.padEnd(10)} ${value}`)
  }
  const stop = (): void => void lab.stop().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

void main()
