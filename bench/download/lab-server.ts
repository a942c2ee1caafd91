// The vCenter lab in its own process for bench/download.ts, so generating and serving the file
// does not share an event loop with the Porthole host under measurement (nor with curl's reader).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startVsphereLab } from '../../lab/vsphere/simulator'

export interface BenchLab {
  url: string
  user: string
  password: string
  vmId: string
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-lab-'))
  const lab = await startVsphereLab({ vms: 20, seed: 3, dataDir, faults: { toolsNotRunningFraction: 0, processChurnMs: 0 } })
  const vm = lab.state.inv.vms.find((v) => v.power === 'POWERED_ON' && v.os.family === 'LINUX')
  if (!vm) throw new Error('no powered-on Linux VM in the bench lab')
  vm.toolsOverride = 'running'
  const ready: BenchLab = { url: lab.url, user: lab.user, password: lab.password, vmId: vm.id }
  process.send?.(ready)
  process.once('disconnect', () => {
    void lab.stop().then(() => {
      fs.rmSync(dataDir, { recursive: true, force: true })
      process.exit(0)
    })
  })
}

void main()
