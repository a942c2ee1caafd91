// The vCenter lab of the processes benchmark, in its own process (as a real vCenter is another
// machine), with one powered-on Linux guest crowded to 5,000 steady processes (plus the lab's
// short-lived ones, so every refresh has changes to merge and highlight).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startVsphereLab } from '../../lab/vsphere/simulator'

/** What the parent needs; sent over the fork channel. */
export interface ProcessesBenchLab {
  url: string
  user: string
  password: string
  sha256: string
  vmId: string
  vmName: string
  processes: number
}

async function main(): Promise<void> {
  const processes = Number(process.env.BENCH_PROCESSES ?? 5000)
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-processes-lab-'))
  const lab = await startVsphereLab({ vms: 60, seed: 3, dataDir })
  const vm = lab.state.inv.vms.find((v) => v.power === 'POWERED_ON' && v.os.family === 'LINUX' && v.toolsDraw >= lab.state.faults.toolsNotRunningFraction)
  if (!vm) throw new Error('no powered-on Linux guest in the bench lab')
  lab.state.guests.setProcessCount(vm.id, processes)
  process.on('disconnect', () => {
    void lab.stop().then(() => {
      fs.rmSync(dataDir, { recursive: true, force: true })
      process.exit(0)
    })
  })
  const ready: ProcessesBenchLab = { url: lab.url, user: lab.user, password: lab.password, sha256: lab.certificate().sha256, vmId: vm.id, vmName: vm.name, processes }
  process.send?.(ready)
}

void main()
