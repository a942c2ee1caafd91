// The vCenter lab's guest process tables on the wire: a pure function of the seed, the VM and the
// clock (two labs with the same seed and clock answer the same table; the clock moving starts and
// ends short-lived processes), created programs run as long as the lab's rule says and keep their
// exit code for exactly 5 minutes, and the per-VM knob makes a table of 5,000.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { GUEST_PASSWORD } from '../../lab/vsphere/guest-auth'
import { EXIT_RETENTION_MS, runOf, TRANSIENT_MAX_MS } from '../../lab/vsphere/guest-processes'
import { startVsphereLab, type VsphereLab } from '../../lab/vsphere/simulator'

const Summary = z.strictObject({ pid: z.number().int(), name: z.string(), owner: z.string(), command: z.string(), started: z.iso.datetime() })
const Info = z.strictObject({
  name: z.string(),
  owner: z.string(),
  command: z.string(),
  started: z.iso.datetime(),
  finished: z.iso.datetime().optional(),
  exit_code: z.number().int().optional(),
})
const creds = { type: 'USERNAME_PASSWORD', interactive_session: false, user_name: 'root', password: GUEST_PASSWORD }

let dir: string
const clock = { t: Date.parse('2026-11-25T10:00:00.000Z') }
const labs: { lab: VsphereLab; agent: Agent; token: string }[] = []

async function http(i: number, method: string, p: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const l = labs[i] as (typeof labs)[number]
  const res = await request(`${l.lab.url}${p}`, {
    method: method as 'POST',
    headers: { 'vmware-api-session-id': l.token, 'content-type': 'application/json', ...(p.startsWith('/lab/') ? { authorization: `Bearer ${l.lab.adminToken}` } : {}) },
    body: body === undefined ? null : JSON.stringify(body),
    dispatcher: l.agent,
  })
  const text = await res.body.text()
  return { status: res.statusCode, json: text ? (JSON.parse(text) as unknown) : undefined }
}

const list = async (i: number, vm: string) => z.array(Summary).parse((await http(i, 'POST', `/api/vcenter/vm/${vm}/guest/processes?action=list`, { credentials: creds })).json)
const get = async (vm: string, pid: number) => http(0, 'POST', `/api/vcenter/vm/${vm}/guest/processes/${pid}?action=get`, { credentials: creds })

let vm: string

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guest-processes-lab-'))
  for (const name of ['a', 'b']) {
    const lab = await startVsphereLab({ vms: 200, seed: 5, dataDir: path.join(dir, name), now: () => clock.t, faults: { processChurnMs: 1000, sessionExpirySeconds: 0 } })
    const agent = new Agent({ connect: { ca: lab.certificate().cert } })
    const res = await request(`${lab.url}/api/session`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${lab.user}:${lab.password}`).toString('base64')}` }, dispatcher: agent })
    labs.push({ lab, agent, token: z.string().parse(await res.body.json()) })
  }
  const first = labs[0]?.lab.state.inv.vms.find((v) => v.power === 'POWERED_ON' && v.os.family === 'LINUX' && v.toolsDraw >= 0.1)
  vm = first?.id as string
})

afterAll(async () => {
  for (const l of labs) {
    await l.agent.close()
    await l.lab.stop()
  }
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('lab guest process tables', () => {
  it('same seed and clock → same table; the clock moving starts and ends short-lived processes', async () => {
    const a = await list(0, vm)
    expect(await list(1, vm)).toEqual(a)
    expect(await list(0, vm)).toEqual(a)
    clock.t += TRANSIENT_MAX_MS + 2000
    const b = await list(0, vm)
    expect(await list(1, vm)).toEqual(b)
    const pids = (rows: { pid: number }[]) => new Set(rows.map((r) => r.pid))
    const appeared = [...pids(b)].filter((p) => !pids(a).has(p))
    const ended = [...pids(a)].filter((p) => !pids(b).has(p))
    expect(appeared.length).toBeGreaterThan(0)
    expect(ended.length).toBeGreaterThan(0)
    // Steady processes stay, with their start times.
    expect(b.find((p) => p.pid === 1)).toEqual(a.find((p) => p.pid === 1))
    // A short-lived one can be read and killed, and does not come back.
    const short = b.find((p) => p.pid >= 200_000) as { pid: number }
    expect(Info.parse((await get(vm, short.pid)).json).exit_code).toBeUndefined()
    expect((await http(0, 'POST', `/api/vcenter/vm/${vm}/guest/processes/${short.pid}?action=delete`, { credentials: creds })).status).toBe(204)
    expect((await list(0, vm)).some((p) => p.pid === short.pid)).toBe(false)
    expect((await get(vm, short.pid)).status).toBe(404)
  })

  it('a created program runs for its requested time and keeps finished/exit_code for 5 minutes', async () => {
    const created = await http(0, 'POST', `/api/vcenter/vm/${vm}/guest/processes?action=create`, { credentials: creds, spec: { path: '/usr/bin/sleep', arguments: '5' } })
    expect(created.status).toBe(201)
    const pid = z.number().int().parse(created.json)
    clock.t += 4999
    expect(Info.parse((await get(vm, pid)).json).finished).toBeUndefined()
    clock.t += 1
    const done = Info.parse((await get(vm, pid)).json)
    expect(done.exit_code).toBe(0)
    expect(Date.parse(done.finished as string) - Date.parse(done.started)).toBe(5000)
    // The list keeps it (without exit code: list summaries have none).
    expect((await list(0, vm)).some((p) => p.pid === pid)).toBe(true)
    clock.t += EXIT_RETENTION_MS
    expect((await get(vm, pid)).status).toBe(200)
    clock.t += 1
    expect((await get(vm, pid)).status).toBe(404)
    expect((await list(0, vm)).some((p) => p.pid === pid)).toBe(false)
  })

  it('the run rule: sleep, timeout, ping, shell scripts, false, environment overrides', () => {
    expect(runOf({ path: '/usr/bin/sleep', arguments: '2.5' })).toEqual({ runMs: 2500, exitCode: 0 })
    expect(runOf({ path: '/usr/bin/sleep', arguments: '1m' }).runMs).toBe(60_000)
    expect(runOf({ path: 'C:\\Windows\\System32\\timeout.exe', arguments: '/t 7 /nobreak' }).runMs).toBe(7000)
    expect(runOf({ path: '/usr/bin/ping', arguments: '-c 3 127.0.0.1' }).runMs).toBe(3000)
    expect(runOf({ path: '/bin/bash', arguments: '-c "sleep 2; exit 4"' })).toEqual({ runMs: 2000, exitCode: 4 })
    expect(runOf({ path: '/usr/bin/false' })).toEqual({ runMs: 1000, exitCode: 1 })
    expect(runOf({ path: '/usr/bin/env', environment_variables: { LAB_RUN_MS: '10', LAB_EXIT_CODE: '9' } })).toEqual({ runMs: 10, exitCode: 9 })
  })

  it('the per-VM knob makes a table of 5,000 with unique pids, and resets to the guest\'s own', async () => {
    const set = await http(0, 'POST', `/lab/vms/${vm}`, { processes: 5000 })
    expect(set.json).toMatchObject({ processes: 5000 })
    const big = await list(0, vm)
    expect(big.length).toBeGreaterThanOrEqual(5000)
    expect(new Set(big.map((p) => p.pid)).size).toBe(big.length)
    expect(big.every((p) => Date.parse(p.started) <= clock.t)).toBe(true)
    await http(0, 'POST', `/lab/vms/${vm}`, { processes: null })
    expect((await list(0, vm)).length).toBeLessThan(100)
    expect((await http(0, 'POST', `/lab/vms/${vm}`, { processes: 20_001 })).status).toBe(400)
  })
})
