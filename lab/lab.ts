import fs from 'node:fs'
import type { RunningSimulator, SimulatorOptions } from './simulator'
import { simulators } from './simulators'

export interface Lab {
  running: RunningSimulator[]
  stop(): Promise<void>
}

/** Starts the chosen simulators (all by default); if one fails, the ones already started are stopped. */
export async function startLab(options: SimulatorOptions & { only?: string[] }): Promise<Lab> {
  fs.mkdirSync(options.dataDir, { recursive: true })
  const chosen = simulators.filter((s) => !options.only || options.only.includes(s.name))
  const running: RunningSimulator[] = []
  const stop = async (): Promise<void> => {
    await Promise.allSettled(running.splice(0).map((s) => s.stop()))
  }
  try {
    for (const sim of chosen) running.push(await sim.start(options))
  } catch (err) {
    await stop()
    throw err
  }
  return { running, stop }
}
