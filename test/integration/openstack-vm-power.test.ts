// OpenstackProvider.vmPower against the OpenStack lab: after a stop or start Nova answers 202
// and keeps the old status while task_state is set; vmPower reports the power once the task
// is done (what the inventory shows after an action), and gives up at its deadline.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Agent } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOpenstackLab, type OpenstackLab } from '../../lab/openstack/simulator'
import { settle, statusOf } from '../../lab/openstack/world'
import { OpenstackProvider } from '../../main/services/providers/openstack/openstack-provider'

let lab: OpenstackLab
let agent: Agent
let dataDir: string
const signal = new AbortController().signal

function provider(settleMs?: number): OpenstackProvider {
  return new OpenstackProvider({
    connectionId: 'os-power',
    authUrl: lab.authUrl,
    credentials: { method: 'password', username: lab.user, password: lab.password, userDomainName: lab.domain, projectName: lab.project, projectDomainName: lab.domain },
    region: 'RegionOne',
    dispatcher: agent,
    ...(settleMs !== undefined ? { settleMs } : {}),
  })
}

function novaStatus(id: string): string {
  const s = lab.world.serverById.get(id)
  if (!s) throw new Error(`no server ${id}`)
  settle(s, Date.now())
  return statusOf(s)
}

function activeServer(skip: Set<string>): string {
  const s = lab.world.servers.find((v) => v.project.name === 'demo' && v.region === 'RegionOne' && statusOf(v) === 'ACTIVE' && !skip.has(v.id))
  if (!s) throw new Error('no ACTIVE demo server')
  skip.add(s.id)
  return s.id
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-os-power-'))
  lab = await startOpenstackLab({ vms: 40, seed: 9, dataDir, consoleBackend: 'builtin', faults: { actionDelayMs: 300 } })
  agent = new Agent({ connect: { ca: lab.certificate().cert } })
})

afterAll(async () => {
  await agent.close()
  await lab.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('OpenstackProvider.vmPower', () => {
  const used = new Set<string>()

  it('waits out a stop under way, then a start: the power Nova settles on', async () => {
    const p = provider()
    const id = activeServer(used)
    await p.power(id, 'off', signal)
    // Nova accepted the stop, but the server is still ACTIVE (task_state powering-off).
    expect(novaStatus(id)).toBe('ACTIVE')
    await expect(p.vmPower(id, signal)).resolves.toBe('off')
    expect(novaStatus(id)).toBe('SHUTOFF')
    await p.power(id, 'on', signal)
    await expect(p.vmPower(id, signal)).resolves.toBe('on')
    expect(novaStatus(id)).toBe('ACTIVE')
  })

  it('vmStatus: Nova\'s status with the task while it runs, then the status it ends in', async () => {
    const p = provider()
    const id = activeServer(used)
    await p.power(id, 'off', signal)
    const seen: string[] = []
    await expect(p.vmStatus(id, signal, (s) => seen.push(`${s.power} ${s.status ?? ''}`))).resolves.toEqual({ power: 'off', status: 'SHUTOFF' })
    // At least the first reading came while the 300 ms task ran; every reading on the way is the old state with the task.
    expect(seen.length).toBeGreaterThan(0)
    expect(new Set(seen)).toEqual(new Set(['on ACTIVE · powering-off']))
    await p.power(id, 'on', signal)
    await expect(p.vmStatus(id, signal)).resolves.toEqual({ power: 'on', status: 'ACTIVE' })
  })

  it('answers the current power at once when nothing is under way', async () => {
    const p = provider()
    const id = activeServer(used)
    const t0 = Date.now()
    await expect(p.vmPower(id, signal)).resolves.toBe('on')
    expect(Date.now() - t0).toBeLessThan(250)
  })

  it('gives up at its deadline with the power Nova still shows', async () => {
    await lab.setFaults({ actionDelayMs: 5_000 })
    try {
      const p = provider(300)
      const id = activeServer(used)
      await p.power(id, 'off', signal)
      await expect(p.vmPower(id, signal)).resolves.toBe('on')
    } finally {
      await lab.setFaults({ actionDelayMs: 300 })
    }
  })

  it('stops waiting when cancelled', async () => {
    await lab.setFaults({ actionDelayMs: 5_000 })
    try {
      const p = provider()
      const id = activeServer(used)
      await p.power(id, 'off', signal)
      const abort = new AbortController()
      const pending = p.vmPower(id, abort.signal)
      setTimeout(() => abort.abort(), 150)
      await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' })
    } finally {
      await lab.setFaults({ actionDelayMs: 300 })
    }
  })
})
