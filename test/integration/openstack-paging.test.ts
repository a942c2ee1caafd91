// Paging over 50,000 servers of the OpenStack lab (limit/marker, servers_links): every server of
// every project × region exactly once, with a token revoked in the middle of one listing.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Agent } from 'undici'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startOpenstackLab, type OpenstackLab } from '../../lab/openstack/simulator'
import { OpenstackProvider } from '../../main/services/providers/openstack/openstack-provider'

const never = new AbortController().signal
const TOTAL = 50_000
let dataDir: string
let lab: OpenstackLab
let agent: Agent

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'openstack-paging-'))
  const t0 = performance.now()
  lab = await startOpenstackLab({ vms: TOTAL, seed: 11, dataDir })
  console.log(JSON.stringify({ figure: 'openstack_lab_start_50k_ms', value: Math.round(performance.now() - t0) }))
  agent = new Agent({ connect: { ca: lab.certificate().cert } })
})

afterAll(async () => {
  await agent?.close()
  await lab?.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

it('lists 50,000 servers across 2 projects × 2 regions, none missing, none twice, pages ≤ 1,000', async () => {
  const seen = new Map<string, string>()
  let pages = 0
  let biggest = 0
  const t0 = performance.now()
  for (const project of ['demo', 'ops']) {
    for (const region of ['RegionOne', 'RegionTwo']) {
      const p = new OpenstackProvider({
        connectionId: `${project}-${region}`,
        authUrl: lab.authUrl,
        credentials: { method: 'password', username: lab.user, userDomainName: 'Default', password: lab.password, projectName: project, projectDomainId: 'default' },
        region,
        dispatcher: agent,
      })
      let first = true
      for await (const page of p.listVms(never)) {
        pages++
        biggest = Math.max(biggest, page.vms.length)
        for (const vm of page.vms) {
          expect(seen.has(vm.ref.id)).toBe(false)
          seen.set(vm.ref.id, vm.group ?? '')
        }
        // Revoke every token once, in the middle of the first listing: it must carry on.
        if (first && project === 'demo' && region === 'RegionOne') await lab.setFaults({ expireTokens: true })
        first = false
      }
    }
  }
  const ms = Math.round(performance.now() - t0)
  console.log(JSON.stringify({ figure: 'openstack_list_50k_ms', value: ms, pages }))
  expect(seen.size).toBe(TOTAL)
  for (const s of lab.world.servers) expect(seen.get(s.id)).toBe(`${s.project.name} / ${s.region}`)
  expect(biggest).toBe(1000)
  // 12,500 per scope: 13 pages each, the last one short (no link after it).
  expect(pages).toBe(4 * 13)
  expect(lab.stats.unauthorized).toBe(1)
  expect(ms).toBeLessThan(30_000)
})
