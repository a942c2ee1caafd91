// A saved OpenStack profile (contract shape) → the provider and the connection tester, against the lab.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Agent } from 'undici'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { OpenstackFields } from '../../contract/profiles'
import { startOpenstackLab, type OpenstackLab } from '../../lab/openstack/simulator'
import type { StoredProfile } from '../../main/services/profiles/profile-records'
import { createOpenStackProvider, openstackConnectionTester } from '../../main/services/providers/openstack/factory'

const never = new AbortController().signal
let dataDir: string
let lab: OpenstackLab
let agent: Agent

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'openstack-profile-'))
  lab = await startOpenstackLab({ vms: 40, seed: 4, dataDir })
  agent = new Agent({ connect: { ca: lab.certificate().cert } })
})

afterAll(async () => {
  await agent?.close()
  await lab?.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

function stored(fields: Record<string, unknown>, secret?: string): StoredProfile {
  const now = new Date().toISOString()
  return {
    id: '3f1c2a0e-8d7b-4c5a-9e6f-1a2b3c4d5e6f',
    fields: OpenstackFields.parse({ kind: 'openstack', name: 'Lab', endpoint: lab.authUrl, trust: { mode: 'system' }, ...fields }),
    ...(secret !== undefined ? { secret } : {}),
    createdAt: now,
    updatedAt: now,
  }
}

it('a password profile (interface defaults to public) builds a provider that lists its region', async () => {
  const profile = stored({ authType: 'password', user: 'admin', userDomainName: 'Default', projectName: 'ops', projectDomainName: 'Default', region: 'RegionTwo' })
  const p = createOpenStackProvider(profile, lab.password, agent)
  let n = 0
  for await (const page of p.listVms(never)) n += page.vms.length
  expect(n).toBe(lab.world.servers.filter((s) => s.project.name === 'ops' && s.region === 'RegionTwo').length)
  expect(p.session?.computeUrl).toContain('/r2/public/')
})

it('the connection tester reports where and as whom, and revokes its token', async () => {
  const tester = openstackConnectionTester(() => agent)
  const before = lab.tokens.size
  const r = await tester.test(stored({ authType: 'application-credential', applicationCredentialId: lab.appCredential.id }, lab.appCredential.secret), never)
  expect(r.message).toBe('OpenStack compute 2.100 in RegionOne as admin / ops')
  expect(lab.tokens.size).toBe(before)
  await expect(tester.test(stored({ authType: 'password', user: 'admin', projectName: 'demo' }, 'wrong'), never)).rejects.toMatchObject({ code: 'AUTH_FAILED' })
  await expect(tester.test(stored({ authType: 'password', user: 'admin', projectName: 'demo' }), never)).rejects.toMatchObject({ code: 'AUTH_FAILED' })
})
