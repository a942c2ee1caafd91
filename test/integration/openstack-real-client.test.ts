// Debian's python3-openstackclient against the OpenStack lab (TESTING.md "Real clients").
// Opt-in: the client is not installed here, so set PORTHOLE_OSC_ROOT to a tree made with
//   apt-get install --download-only -o Dir::Cache::archives=/tmp/osc python3-openstackclient
//   for f in /tmp/osc/*.deb; do dpkg -x "$f" /tmp/osc/root; done
// (PORTHOLE_OSC_ROOT=/tmp/osc/root). Skipped otherwise, so CI does not depend on it.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOpenstackLab, type OpenstackLab } from '../../lab/openstack/simulator'

const run = promisify(execFile)
const root = process.env.PORTHOLE_OSC_ROOT
const enabled = root !== undefined && fs.existsSync(path.join(root, 'usr/bin/openstack'))

describe.skipIf(!enabled)('python-openstackclient against the lab', () => {
  let dataDir: string
  let lab: OpenstackLab
  let env: NodeJS.ProcessEnv

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'openstack-osc-'))
    lab = await startOpenstackLab({ vms: 2000, seed: 3, dataDir, faults: { actionDelayMs: 0 } })
    const ca = path.join(dataDir, 'ca.pem')
    fs.writeFileSync(ca, lab.certificate().cert)
    env = {
      PATH: process.env.PATH,
      HOME: dataDir,
      PYTHONPATH: path.join(root as string, 'usr/lib/python3/dist-packages'),
      OS_AUTH_URL: lab.authUrl,
      OS_USERNAME: lab.user,
      OS_PASSWORD: lab.password,
      OS_PROJECT_NAME: 'demo',
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_NAME: 'Default',
      OS_REGION_NAME: 'RegionOne',
      OS_IDENTITY_API_VERSION: '3',
      OS_CACERT: ca,
    }
  })

  afterAll(async () => {
    await lab?.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  const openstack = async (args: string[], extra: NodeJS.ProcessEnv = {}): Promise<string> =>
    (await run('python3', [path.join(root as string, 'usr/bin/openstack'), ...args], { env: { ...env, ...extra }, timeout: 60_000 })).stdout

  it('server list pages through every server of the project and region, with image names', async () => {
    const out = await openstack(['server', 'list', '-f', 'json', '-c', 'ID', '-c', 'Name', '-c', 'Image'])
    const rows = JSON.parse(out) as { ID: string; Image: string }[]
    const truth = lab.world.servers.filter((s) => s.project.name === 'demo' && s.region === 'RegionOne')
    expect(new Set(rows.map((r) => r.ID))).toEqual(new Set(truth.map((s) => s.id)))
    expect(rows.some((r) => r.Image === 'debian-12')).toBe(true)
  }, 90_000)

  it('region, interface and application credential; stop and a console URL', async () => {
    const ac = lab.appCredential
    const out = await openstack(['server', 'list', '--no-name-lookup', '-f', 'value', '-c', 'ID'], {
      OS_AUTH_TYPE: 'v3applicationcredential',
      OS_APPLICATION_CREDENTIAL_ID: ac.id,
      OS_APPLICATION_CREDENTIAL_SECRET: ac.secret,
      OS_USERNAME: '',
      OS_PASSWORD: '',
      OS_PROJECT_NAME: '',
      OS_REGION_NAME: 'RegionTwo',
      OS_INTERFACE: 'internal',
    })
    expect(out.trim().split('\n').length).toBe(lab.world.servers.filter((s) => s.project.name === 'ops' && s.region === 'RegionTwo').length)
    const active = lab.world.servers.find((s) => s.project.name === 'demo' && s.region === 'RegionOne' && s.vmState === 'active' && s.taskState === null)!
    await openstack(['server', 'stop', active.id])
    expect(JSON.parse(await openstack(['server', 'show', active.id, '-f', 'json', '-c', 'status'])).status).toBe('SHUTOFF')
    const url = await openstack(['console', 'url', 'show', '--novnc', active.id, '-f', 'value', '-c', 'url'])
    expect(url.trim()).toMatch(/\/vnc_auto\.html\?path=%3Ftoken%3D[0-9a-f-]{36}$/)
  }, 90_000)
})
