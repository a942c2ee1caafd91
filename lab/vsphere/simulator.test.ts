import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import tls from 'node:tls'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startVsphereLab, type VsphereLab } from './simulator'

let dataDir: string
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsphere-sim-'))
})
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

/** SHA-256 fingerprint of the certificate a fresh TLS connection is served. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerX509Certificate()?.fingerprint256 ?? '')
      socket.end()
    })
    socket.on('error', reject)
  })
}

async function control(lab: VsphereLab, method: 'GET' | 'POST', p: string, body?: unknown, token = lab.adminToken) {
  const agent = new Agent({ connect: { ca: lab.certificate().cert } })
  try {
    const res = await request(`${lab.url}${p}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      dispatcher: agent,
    })
    return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> }
  } finally {
    await agent.close()
  }
}

describe('vCenter lab server', () => {
  it('keeps its certificate across restarts, and makes a new one when rotation is asked', async () => {
    const dir = path.join(dataDir, 'certs')
    const first = await startVsphereLab({ vms: 10, seed: 1, dataDir: dir })
    const fp1 = await servedFingerprint(first.port)
    await first.stop()
    const again = await startVsphereLab({ vms: 10, seed: 1, dataDir: dir })
    expect(await servedFingerprint(again.port)).toBe(fp1)
    await again.stop()
    const rotated = await startVsphereLab({ vms: 10, seed: 1, dataDir: dir, rotateCertificate: true })
    try {
      const fp2 = await servedFingerprint(rotated.port)
      expect(fp2).not.toBe(fp1)
      expect(rotated.certificate().sha256).toBe(fp2)
      // And at runtime, through the control endpoint.
      const r = await control(rotated, 'POST', '/lab/faults', { rotateCertificate: true })
      expect(r.status).toBe(200)
      expect(r.json.fingerprint).not.toBe(fp2)
      expect(await servedFingerprint(rotated.port)).toBe(r.json.fingerprint)
    } finally {
      await rotated.stop()
    }
  })

  it('control endpoint: needs the admin token, sets knobs and per-VM faults, refuses bad values', async () => {
    const lab = await startVsphereLab({ vms: 50, seed: 2, dataDir, faults: { latencyMs: 5 } })
    try {
      expect((await control(lab, 'GET', '/lab/faults', undefined, 'wrong')).status).toBe(401)
      const got = await control(lab, 'GET', '/lab/faults')
      expect(got.json.latencyMs).toBe(5)
      const set = await control(lab, 'POST', '/lab/faults', { listCap: 10, restOnly: true, poweredOffFraction: 1 })
      expect(set.json.faults).toMatchObject({ listCap: 10, restOnly: true, poweredOffFraction: 1 })
      expect(lab.state.inv.vms.every((v) => v.power === 'POWERED_OFF')).toBe(true)
      expect((await control(lab, 'POST', '/lab/faults', { errorRate: 2 })).status).toBe(400)
      expect((await control(lab, 'POST', '/lab/faults', { colour: 'blue' })).status).toBe(400)
      const vm = lab.state.inv.vms[0]!
      const patched = await control(lab, 'POST', `/lab/vms/${vm.id}`, { power: 'POWERED_ON', tools: 'not_running', busy: true })
      expect(patched.json).toMatchObject({ vm: vm.id, power: 'POWERED_ON', tools: 'not_running', busy: true })
      expect((await control(lab, 'POST', '/lab/vms/vm-0', {})).status).toBe(404)
      const state = await control(lab, 'GET', '/lab/state')
      expect(state.json).toMatchObject({ vms: 50, fingerprint: lab.certificate().sha256 })
    } finally {
      await lab.stop()
    }
  })

  it('error rate injects 503s repeatably for a seed', async () => {
    const outcomes: number[][] = []
    for (let run = 0; run < 2; run++) {
      const lab = await startVsphereLab({ vms: 10, seed: 9, dataDir, faults: { errorRate: 0.5 } })
      const agent = new Agent({ connect: { ca: lab.certificate().cert } })
      try {
        const statuses: number[] = []
        for (let i = 0; i < 20; i++) {
          const res = await request(`${lab.url}/api/session`, {
            method: 'POST',
            headers: { authorization: `Basic ${Buffer.from(`${lab.user}:${lab.password}`).toString('base64')}` },
            dispatcher: agent,
          })
          await res.body.text()
          statuses.push(res.statusCode)
        }
        outcomes.push(statuses)
      } finally {
        await agent.close()
        await lab.stop()
      }
    }
    expect(outcomes[0]).toEqual(outcomes[1])
    expect(new Set(outcomes[0])).toEqual(new Set([201, 503]))
  })
})
