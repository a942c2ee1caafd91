// Paging the ZStack lab's 50,000 VMs through the provider: limit/start pages over a stable
// order, every user VM exactly once (appliance and recycle-bin VMs left out by the query's
// conditions), while VM states change underneath, in well under 30 s.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Agent } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Vm } from '../../contract/inventory'
import { startZstackLab, type ZstackLab } from '../../lab/zstack/simulator'
import { ZstackProvider } from '../../main/services/providers/zstack/zstack-provider'

const never = new AbortController().signal
let dataDir: string
let lab: ZstackLab
let agent: Agent

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zstack-paging-'))
  const started = Date.now()
  lab = await startZstackLab({ vms: 50_000, seed: 2, dataDir, consoleBackend: 'builtin' })
  console.log(JSON.stringify({ bench: 'zstack.lab_start_50k', ms: Date.now() - started }))
  agent = new Agent()
})

afterAll(async () => {
  await agent?.close()
  await lab?.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('ZStack listing at scale', () => {
  it('lists 50,000 VMs: every user VM once, none missing, none duplicated, pages in order', async () => {
    const p = new ZstackProvider({ connectionId: 'zs-big', baseUrl: lab.httpUrl, accountName: lab.account, password: lab.password, dispatcher: agent })
    await p.login(never)
    const expected = new Set(lab.state.inv.vms.filter((v) => v.type === 'UserVm' && v.state !== 'Destroyed').map((v) => v.uuid))
    expect(expected.size).toBeGreaterThan(45_000)
    // States flip while the pages are read: membership does not depend on them.
    const flipper = setInterval(() => {
      const vm = lab.state.inv.vms[Math.floor(Math.random() * lab.state.inv.vms.length)]
      if (vm && vm.type === 'UserVm' && (vm.state === 'Running' || vm.state === 'Stopped')) {
        vm.state = vm.state === 'Running' ? 'Stopped' : 'Running'
        lab.state.inv.version++
      }
    }, 5)
    const started = Date.now()
    const seen: Vm[] = []
    let pages = 0
    try {
      for await (const page of p.listVms(never)) {
        pages++
        seen.push(...page.vms)
      }
    } finally {
      clearInterval(flipper)
    }
    const ms = Date.now() - started
    console.log(JSON.stringify({ bench: 'zstack.list_50k', ms, vms: seen.length, pages }))
    const ids = seen.map((v) => v.ref.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.length).toBe(expected.size)
    for (const id of ids) expect(expected.has(id)).toBe(true)
    expect(pages).toBe(Math.ceil(expected.size / 1000))
    expect(seen.every((v) => v.group !== undefined && v.group.includes(' / '))).toBe(true)
    expect(ms).toBeLessThan(30_000)
  }, 60_000)
})
