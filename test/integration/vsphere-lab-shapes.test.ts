// The vCenter lab's bodies against the shapes in /work/shared/reference/vsphere.md. The schemas
// below are written by hand FROM THE REFERENCE (section numbers in comments), not from the lab's
// code, so a lab that drifts from the documented wire format fails here.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { startVsphereLab, type VsphereLab } from '../../lab/vsphere/simulator'

// §7.1 / §7.2: a localizable message; `params` (a map) is optional.
const Message = z.object({ id: z.string(), default_message: z.string(), args: z.array(z.string()) })
const ErrorTypeEnum = z.enum([
  'ERROR', 'ALREADY_EXISTS', 'ALREADY_IN_DESIRED_STATE', 'CANCELED', 'CONCURRENT_CHANGE', 'FEATURE_IN_USE',
  'INTERNAL_SERVER_ERROR', 'INVALID_ARGUMENT', 'INVALID_ELEMENT_CONFIGURATION', 'INVALID_ELEMENT_TYPE', 'INVALID_REQUEST',
  'NOT_ALLOWED_IN_CURRENT_STATE', 'NOT_FOUND', 'OPERATION_NOT_FOUND', 'RESOURCE_BUSY', 'RESOURCE_IN_USE',
  'RESOURCE_INACCESSIBLE', 'SERVICE_UNAVAILABLE', 'TIMED_OUT', 'UNABLE_TO_ALLOCATE_RESOURCE', 'UNAUTHENTICATED',
  'UNAUTHORIZED', 'UNEXPECTED_INPUT', 'UNSUPPORTED', 'UNVERIFIED_PEER',
])
const ApiError = z.object({
  error_type: ErrorTypeEnum,
  messages: z.array(Message),
  challenge: z.string().optional(),
  data: z.unknown().optional(),
})
const RestError = z.object({
  type: z.string().regex(/^com\.vmware\.vapi\.std\.errors\.[a-z_]+$/),
  value: z.object({ error_type: ErrorTypeEnum.optional(), messages: z.array(Message), challenge: z.string().optional() }),
})

// §1.1: GET session.
const SessionInfo = z.object({ user: z.string(), created_time: z.iso.datetime(), last_accessed_time: z.iso.datetime() })
// §2.1: summary; cpu_count and memory_size_MiB optional.
const PowerStateEnum = z.enum(['POWERED_OFF', 'POWERED_ON', 'SUSPENDED'])
const VmSummary = z.strictObject({
  vm: z.string().regex(/^vm-\d+$/),
  name: z.string(),
  power_state: PowerStateEnum,
  cpu_count: z.number().int().optional(),
  memory_size_MiB: z.number().int().optional(),
})
// "Read this first" 4: required fields of VM get, nested required members; §2.2 for the rest.
const deviceMapApi = z.record(z.string(), z.object({}).loose())
const deviceMapRest = z.array(z.object({ key: z.string(), value: z.object({}).loose() }))
const vmInfo = <M extends z.ZodType>(map: M) =>
  z.object({
    guest_OS: z.string(),
    name: z.string(),
    power_state: PowerStateEnum,
    identity: z.object({ name: z.string(), bios_uuid: z.string(), instance_uuid: z.string() }).optional(),
    instant_clone_frozen: z.boolean().optional(),
    hardware: z.object({ version: z.string(), upgrade_policy: z.string(), upgrade_status: z.string() }),
    boot: z.object({ type: z.string(), delay: z.number(), retry: z.boolean(), retry_delay: z.number(), enter_setup_mode: z.boolean() }),
    boot_devices: z.array(z.unknown()),
    cpu: z.object({ count: z.number(), cores_per_socket: z.number(), hot_add_enabled: z.boolean(), hot_remove_enabled: z.boolean() }),
    memory: z.object({ size_MiB: z.number(), hot_add_enabled: z.boolean() }),
    disks: map,
    nics: map,
    cdroms: map,
    floppies: map,
    parallel_ports: map,
    serial_ports: map,
    sata_adapters: map,
    scsi_adapters: map,
  })
// §2.3
const PowerInfo = z.object({ state: PowerStateEnum, clean_power_off: z.boolean().optional() })
// §2.4
const Identity = z.object({
  name: z.string(),
  family: z.enum(['WINDOWS', 'LINUX', 'NETWARE', 'SOLARIS', 'DARWIN', 'OTHER']),
  full_name: Message,
  host_name: z.string(),
  ip_address: z.string().optional(),
})
// "Read this first" 5
const GuestPowerInfo = z.object({
  state: z.enum(['RUNNING', 'SHUTTING_DOWN', 'RESETTING', 'STANDBY', 'NOT_RUNNING', 'UNAVAILABLE']),
  operations_ready: z.boolean(),
})
// §3.1 / §3.2
const Ticket = z.object({ ticket: z.string() })
// "Read this first" 8
const HostSummary = z.object({ host: z.string(), name: z.string(), connection_state: z.string(), power_state: z.string() })
const FolderSummary = z.object({ folder: z.string(), name: z.string(), type: z.string() })
const ClusterSummary = z.object({ cluster: z.string(), name: z.string(), ha_enabled: z.boolean(), drs_enabled: z.boolean() })
const DatacenterSummary = z.object({ datacenter: z.string(), name: z.string() })
// §5: list summary (all required) and get (no pid; finished/exit_code optional).
const ProcessSummary = z.strictObject({ pid: z.number().int(), name: z.string(), owner: z.string(), command: z.string(), started: z.iso.datetime() })
const ProcessInfo = z.strictObject({
  name: z.string(),
  owner: z.string(),
  command: z.string(),
  started: z.iso.datetime(),
  finished: z.iso.datetime().optional(),
  exit_code: z.number().int().optional(),
})
// §6.1
const FilesList = z.strictObject({
  files: z.array(z.strictObject({ filename: z.string(), type: z.enum(['FILE', 'DIRECTORY', 'SYMLINK']), size: z.number().int() })),
  total: z.number().int(),
  start_index: z.number().int().optional(),
  end_index: z.number().int().optional(),
  status: z.enum(['READY', 'END_OF_DATA']),
})
// §6.2
const FileInfo = z.object({
  type: z.enum(['FILE', 'DIRECTORY', 'SYMLINK']),
  size: z.number().int(),
  attributes: z.object({
    last_modified: z.iso.datetime(),
    last_accessed: z.iso.datetime(),
    symlink_target: z.string().optional(),
    filesystem_family: z.enum(['POSIX', 'WINDOWS']),
    posix_attributes: z.object({ owner: z.number(), group: z.number(), permissions: z.string() }).optional(),
    win_attributes: z.object({ hidden: z.boolean(), read_only: z.boolean(), created: z.iso.datetime() }).optional(),
  }),
})

const wrapped = <T extends z.ZodType>(inner: T) => z.strictObject({ value: inner })

let lab: VsphereLab
let agent: Agent
let token: string
let dataDir: string

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  json: unknown
  text: string
}

async function http(method: 'GET' | 'POST' | 'DELETE', p: string, options: { body?: unknown; auth?: string | null } = {}): Promise<Answer> {
  const headers: Record<string, string> = { accept: '*/*' }
  if (options.auth === undefined) headers['vmware-api-session-id'] = token
  else if (options.auth !== null) headers.authorization = options.auth
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  const res = await request(`${lab.url}${p}`, {
    method,
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    dispatcher: agent,
  })
  const text = await res.body.text()
  return { status: res.statusCode, headers: res.headers, text, json: text ? (JSON.parse(text) as unknown) : undefined }
}

const basic = `Basic ${Buffer.from('administrator@vsphere.local:Porthole-demo-1!').toString('base64')}`
const creds = { type: 'USERNAME_PASSWORD', interactive_session: false, user_name: 'root', password: 'porthole-guest' }

/** The first VM in `power` whose guest OS family is `family` and whose Tools run. */
function pickVm(power: 'POWERED_ON' | 'POWERED_OFF' | 'SUSPENDED', family?: 'LINUX' | 'WINDOWS'): string {
  const vm = lab.state.inv.vms.find(
    (v) => v.power === power && (!family || v.os.family === family) && v.toolsDraw >= lab.state.faults.toolsNotRunningFraction,
  )
  if (!vm) throw new Error(`no ${power} ${family ?? ''} VM in the lab`)
  return vm.id
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsphere-shapes-'))
  lab = await startVsphereLab({ vms: 300, seed: 7, dataDir, faults: { guestPowerDelayMs: 0 } })
  agent = new Agent({ connect: { ca: lab.certificate().cert } })
  const created = await http('POST', '/api/session', { auth: basic })
  token = z.string().parse(created.json)
})

afterAll(async () => {
  await agent?.close()
  await lab?.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('vCenter lab wire shapes (reference/vsphere.md)', () => {
  it('session: /api 201 bare string, /rest 200 {value}, info, delete 204/200; JSON content type exact, 204 without one', async () => {
    const api = await http('POST', '/api/session', { auth: basic })
    expect(api.status).toBe(201)
    expect(api.headers['content-type']).toBe('application/json')
    expect(api.headers['content-length']).toBe(String(Buffer.byteLength(api.text)))
    const t = z.string().regex(/^[0-9a-f]{32}$/).parse(api.json)

    const rest = await http('POST', '/rest/com/vmware/cis/session', { auth: basic })
    expect(rest.status).toBe(200)
    const restToken = wrapped(z.string()).parse(rest.json).value

    // One token serves both styles.
    const info = await request(`${lab.url}/api/session`, { headers: { 'vmware-api-session-id': restToken }, dispatcher: agent })
    expect(info.statusCode).toBe(200)
    SessionInfo.parse(await info.body.json())
    const restInfo = await request(`${lab.url}/rest/com/vmware/cis/session?~action=get`, {
      method: 'POST',
      headers: { 'vmware-api-session-id': t },
      dispatcher: agent,
    })
    wrapped(SessionInfo).parse(await restInfo.body.json())

    const del = await request(`${lab.url}/api/session`, { method: 'DELETE', headers: { 'vmware-api-session-id': t }, dispatcher: agent })
    expect(del.statusCode).toBe(204)
    expect(del.headers['content-type']).toBeUndefined()
    expect(await del.body.text()).toBe('')
    const delRest = await request(`${lab.url}/rest/com/vmware/cis/session`, {
      method: 'DELETE',
      headers: { 'vmware-api-session-id': restToken },
      dispatcher: agent,
    })
    expect(delRest.statusCode).toBe(200)
    await delRest.body.text()
  })

  it('unauthenticated: 401 in both styles with the documented bodies and a WWW-Authenticate challenge', async () => {
    const api = await http('GET', '/api/vcenter/vm', { auth: null })
    expect(api.status).toBe(401)
    const body = ApiError.parse(api.json)
    expect(body.error_type).toBe('UNAUTHENTICATED')
    expect(api.headers['www-authenticate']).toBe(body.challenge)
    const rest = await http('GET', '/rest/vcenter/vm', { auth: null })
    expect(rest.status).toBe(401)
    expect(RestError.parse(rest.json).type).toBe('com.vmware.vapi.std.errors.unauthenticated')
    const badLogin = await http('POST', '/api/session', { auth: `Basic ${Buffer.from('administrator@vsphere.local:nope').toString('base64')}` })
    expect(badLogin.status).toBe(401)
    expect(ApiError.parse(badLogin.json).error_type).toBe('UNAUTHENTICATED')
  })

  it('VM list: summaries in /api, wrapped in /rest, both filter styles, bad power state 400', async () => {
    const api = z.array(VmSummary).parse((await http('GET', '/api/vcenter/vm')).json)
    expect(api).toHaveLength(300)
    const rest = wrapped(z.array(VmSummary)).parse((await http('GET', '/rest/vcenter/vm')).json).value
    expect(rest).toEqual(api)

    const [a, b] = api
    const byNamesApi = z.array(VmSummary).parse((await http('GET', `/api/vcenter/vm?names=${a?.name}&names=${b?.name}`)).json)
    expect(byNamesApi.map((v) => v.vm).sort()).toEqual([a?.vm, b?.vm].sort())
    const byNamesRest = wrapped(z.array(VmSummary)).parse(
      (await http('GET', `/rest/vcenter/vm?filter.names=${a?.name}&filter.names=${b?.name}`)).json,
    ).value
    expect(byNamesRest).toEqual(byNamesApi)
    const indexed = wrapped(z.array(VmSummary)).parse(
      (await http('GET', `/rest/vcenter/vm?filter.names.1=${a?.name}&filter.names.2=${b?.name}`)).json,
    ).value
    expect(indexed).toEqual(byNamesApi)

    const on = z.array(VmSummary).parse((await http('GET', '/api/vcenter/vm?power_states=POWERED_ON')).json)
    expect(on.length).toBeGreaterThan(0)
    expect(on.every((v) => v.power_state === 'POWERED_ON')).toBe(true)

    const bad = await http('GET', '/api/vcenter/vm?power_states=ON')
    expect(bad.status).toBe(400)
    expect(ApiError.parse(bad.json).error_type).toBe('INVALID_ARGUMENT')
    // An unknown filter is refused, never silently ignored ("Read this first" 17); /rest wants the prefix.
    expect((await http('GET', '/api/vcenter/vm?colour=blue')).status).toBe(400)
    expect((await http('GET', '/rest/vcenter/vm?names=x')).status).toBe(400)
  })

  it('VM list over the cap: /api 500 and /rest 400 unable_to_allocate_resource / too_many_matches', async () => {
    await lab.setFaults({ listCap: 100 })
    try {
      const api = await http('GET', '/api/vcenter/vm')
      expect(api.status).toBe(500)
      const e = ApiError.parse(api.json)
      expect(e.error_type).toBe('UNABLE_TO_ALLOCATE_RESOURCE')
      expect(e.messages[0]).toEqual({
        id: 'com.vmware.api.vcenter.vm.too_many_matches',
        default_message: 'Too many virtual machines. Add more filter criteria to reduce the number.',
        args: [],
      })
      const rest = await http('GET', '/rest/vcenter/vm')
      expect(rest.status).toBe(400)
      const r = RestError.parse(rest.json)
      expect(r.type).toBe('com.vmware.vapi.std.errors.unable_to_allocate_resource')
      expect(r.value.messages[0]?.id).toBe('com.vmware.api.vcenter.vm.too_many_matches')
    } finally {
      await lab.setFaults({ listCap: 4000 })
    }
  })

  it('VM get: every required field; /api maps are objects, /rest maps are key/value lists', async () => {
    const id = pickVm('POWERED_ON')
    const api = vmInfo(deviceMapApi).parse((await http('GET', `/api/vcenter/vm/${id}`)).json)
    expect(Object.keys(api.disks).length).toBeGreaterThan(0)
    const rest = wrapped(vmInfo(deviceMapRest)).parse((await http('GET', `/rest/vcenter/vm/${id}`)).json).value
    expect(rest.disks.map((d) => d.key)).toEqual(Object.keys(api.disks))
    expect(rest.floppies).toEqual([])

    const missing = await http('GET', '/api/vcenter/vm/vm-999999')
    expect(missing.status).toBe(404)
    expect(ApiError.parse(missing.json).messages[0]?.id).toBe('com.vmware.api.vcenter.vm.not_found')
    const missingRest = await http('GET', '/rest/vcenter/vm/vm-999999')
    expect(missingRest.status).toBe(404)
    expect(RestError.parse(missingRest.json).value.error_type).toBe('NOT_FOUND')
  })

  it('power: get, start/stop with the state machine, 204 on /api and empty 200 on /rest', async () => {
    const id = pickVm('POWERED_OFF')
    wrapped(PowerInfo).parse((await http('GET', `/rest/vcenter/vm/${id}/power`)).json)
    expect(PowerInfo.parse((await http('GET', `/api/vcenter/vm/${id}/power`)).json).state).toBe('POWERED_OFF')

    const stopOff = await http('POST', `/api/vcenter/vm/${id}/power?action=stop`, { body: {} })
    expect(stopOff.status).toBe(400)
    expect(ApiError.parse(stopOff.json).error_type).toBe('ALREADY_IN_DESIRED_STATE')
    const suspendOff = await http('POST', `/rest/vcenter/vm/${id}/power/suspend`)
    expect(suspendOff.status).toBe(400)
    expect(RestError.parse(suspendOff.json).type).toBe('com.vmware.vapi.std.errors.not_allowed_in_current_state')

    const start = await http('POST', `/api/vcenter/vm/${id}/power?action=start`, { body: {} })
    expect(start.status).toBe(204)
    expect(start.text).toBe('')
    const suspend = await http('POST', `/rest/vcenter/vm/${id}/power/suspend`)
    expect(suspend.status).toBe(200)
    expect(suspend.text).toBe('')
    const again = await http('POST', `/api/vcenter/vm/${id}/power?action=suspend`, { body: {} })
    expect(ApiError.parse(again.json).error_type).toBe('ALREADY_IN_DESIRED_STATE')
    // Stop is allowed from SUSPENDED ("Read this first" 6); reset is not allowed when off.
    expect((await http('POST', `/api/vcenter/vm/${id}/power?action=stop`, { body: {} })).status).toBe(204)
    const reset = await http('POST', `/api/vcenter/vm/${id}/power?action=reset`, { body: {} })
    expect(ApiError.parse(reset.json).error_type).toBe('NOT_ALLOWED_IN_CURRENT_STATE')
  })

  it('busy and inaccessible VMs: /api 500, /rest 400, by type', async () => {
    const id = pickVm('POWERED_ON')
    lab.state.inv.vmById.get(id)!.busy = true
    lab.state.inv.vmById.get(id)!.inaccessible = true
    try {
      const busy = await http('POST', `/api/vcenter/vm/${id}/power?action=reset`, { body: {} })
      expect(busy.status).toBe(500)
      expect(ApiError.parse(busy.json).error_type).toBe('RESOURCE_BUSY')
      const busyRest = await http('POST', `/rest/vcenter/vm/${id}/power/reset`)
      expect(busyRest.status).toBe(400)
      expect(RestError.parse(busyRest.json).type).toBe('com.vmware.vapi.std.errors.resource_busy')
      const get = await http('GET', `/api/vcenter/vm/${id}`)
      expect(get.status).toBe(500)
      expect(ApiError.parse(get.json).error_type).toBe('RESOURCE_INACCESSIBLE')
      // Inaccessible VMs list without cpu_count / memory_size_MiB (§2.1).
      const listed = z.array(VmSummary).parse((await http('GET', `/api/vcenter/vm?vms=${id}`)).json)
      expect(listed[0]).toEqual({ vm: id, name: expect.any(String), power_state: 'POWERED_ON' })
    } finally {
      lab.state.inv.vmById.get(id)!.busy = false
      lab.state.inv.vmById.get(id)!.inaccessible = false
    }
  })

  it('guest identity: the documented body, /rest full_name args intact, 503 tools_not_running', async () => {
    const id = pickVm('POWERED_ON')
    Identity.parse((await http('GET', `/api/vcenter/vm/${id}/guest/identity`)).json)
    wrapped(Identity).parse((await http('GET', `/rest/vcenter/vm/${id}/guest/identity`)).json)
    const off = pickVm('POWERED_OFF')
    const api = await http('GET', `/api/vcenter/vm/${off}/guest/identity`)
    expect(api.status).toBe(503)
    expect(ApiError.parse(api.json).messages[0]?.id).toBe('com.vmware.api.vcenter.vm.guest.tools_not_running')
    const rest = await http('GET', `/rest/vcenter/vm/${off}/guest/identity`)
    expect(rest.status).toBe(503)
    expect(RestError.parse(rest.json).type).toBe('com.vmware.vapi.std.errors.service_unavailable')
  })

  it('guest power: get shape, shutdown 204 (/rest 200) and its effect', async () => {
    const id = pickVm('POWERED_ON')
    GuestPowerInfo.parse((await http('GET', `/api/vcenter/vm/${id}/guest/power`)).json)
    wrapped(GuestPowerInfo).parse((await http('GET', `/rest/vcenter/vm/${id}/guest/power`)).json)
    const r = await http('POST', `/rest/vcenter/vm/${id}/guest/power?action=reboot`)
    expect(r.status).toBe(200)
    const s = await http('POST', `/api/vcenter/vm/${id}/guest/power?action=shutdown`, { body: {} })
    expect(s.status).toBe(204)
    expect(PowerInfo.parse((await http('GET', `/api/vcenter/vm/${id}/power`)).json).state).toBe('POWERED_OFF')
    const again = await http('POST', `/api/vcenter/vm/${id}/guest/power?action=shutdown`, { body: {} })
    expect(ApiError.parse(again.json).error_type).toBe('NOT_ALLOWED_IN_CURRENT_STATE')
  })

  it('console tickets: /api bare spec → 201 {ticket}, /rest {spec} → 200 {value:{ticket}}; WEBMKS refused when off or suspended', async () => {
    const on = pickVm('POWERED_ON')
    const api = await http('POST', `/api/vcenter/vm/${on}/console/tickets`, { body: { type: 'WEBMKS' } })
    expect(api.status).toBe(201)
    const url = new URL(Ticket.parse(api.json).ticket)
    expect(url.protocol).toBe('wss:')
    expect(url.pathname).toMatch(/^\/ticket\/[0-9a-f]+$/)
    const rest = await http('POST', `/rest/vcenter/vm/${on}/console/tickets`, { body: { spec: { type: 'VMRC' } } })
    expect(rest.status).toBe(200)
    expect(wrapped(Ticket).parse(rest.json).value.ticket).toMatch(/^vmrc:\/\/clone:cst-VCT-[0-9a-f]+--tp-([0-9A-F]{2}-){19}[0-9A-F]{2}@127\.0\.0\.1:\d+\/\?moid=vm-\d+$/)

    for (const power of ['POWERED_OFF', 'SUSPENDED'] as const) {
      const id = pickVm(power)
      const refused = await http('POST', `/api/vcenter/vm/${id}/console/tickets`, { body: { type: 'WEBMKS' } })
      expect(refused.status).toBe(400)
      expect(ApiError.parse(refused.json).error_type).toBe('NOT_ALLOWED_IN_CURRENT_STATE')
      const vmrc = await http('POST', `/api/vcenter/vm/${id}/console/tickets`, { body: { type: 'VMRC' } })
      expect(vmrc.status).toBe(201)
    }
    const badType = await http('POST', `/api/vcenter/vm/${on}/console/tickets`, { body: { type: 'SPICE' } })
    expect(ApiError.parse(badType.json).error_type).toBe('INVALID_ARGUMENT')
  })

  it('tickets are single use and expire after 30 minutes unused', async () => {
    const on = pickVm('POWERED_ON')
    const api = await http('POST', `/api/vcenter/vm/${on}/console/tickets`, { body: { type: 'WEBMKS' } })
    const id = new URL(Ticket.parse(api.json).ticket).pathname.split('/').pop() as string
    expect(lab.tickets.consume(id)?.vm).toBe(on)
    expect(lab.tickets.consume(id)).toBeUndefined()
  })

  it('partition lists: hosts, VM folders, datacenters, clusters in both styles', async () => {
    const hosts = z.array(HostSummary).parse((await http('GET', '/api/vcenter/host')).json)
    expect(hosts.length).toBeGreaterThan(0)
    const folders = z.array(FolderSummary).parse((await http('GET', '/api/vcenter/folder?type=VIRTUAL_MACHINE')).json)
    expect(folders.every((f) => f.type === 'VIRTUAL_MACHINE')).toBe(true)
    const dcs = z.array(DatacenterSummary).parse((await http('GET', '/api/vcenter/datacenter')).json)
    expect(dcs.length).toBeGreaterThanOrEqual(2)
    const clusters = wrapped(z.array(ClusterSummary)).parse(
      (await http('GET', `/rest/vcenter/cluster?filter.datacenters=${dcs[0]?.datacenter}`)).json,
    ).value
    expect(clusters.length).toBeGreaterThan(0)
    const inCluster = wrapped(z.array(HostSummary)).parse((await http('GET', `/rest/vcenter/host?filter.clusters=${clusters[0]?.cluster}`)).json).value
    expect(inCluster.length).toBeGreaterThan(0)
    expect(inCluster.length).toBeLessThan(hosts.length)
  })

  it('guest processes: list, create (201 pid), get with exit code; errors by body', async () => {
    const id = pickVm('POWERED_ON', 'LINUX')
    const list = z.array(ProcessSummary).parse((await http('POST', `/api/vcenter/vm/${id}/guest/processes?action=list`, { body: { credentials: creds } })).json)
    expect(list.some((p) => p.pid === 1)).toBe(true)
    const created = await http('POST', `/api/vcenter/vm/${id}/guest/processes?action=create`, {
      body: { credentials: creds, spec: { path: '/bin/false', arguments: '' } },
    })
    expect(created.status).toBe(201)
    const pid = z.number().int().parse(created.json)
    await expect
      .poll(async () => ProcessInfo.parse((await http('POST', `/api/vcenter/vm/${id}/guest/processes/${pid}?action=get`, { body: { credentials: creds } })).json).exit_code, { timeout: 5000 })
      .toBe(1)

    const wrong = await http('POST', `/api/vcenter/vm/${id}/guest/processes?action=list`, { body: { credentials: { ...creds, password: 'x' } } })
    expect(wrong.status).toBe(401)
    const guestBody = ApiError.parse(wrong.json)
    expect(guestBody.error_type).toBe('UNAUTHENTICATED')
    // Told apart from an expired session by the body: no challenge, a guest message id.
    expect(guestBody.challenge).toBeUndefined()
    expect(guestBody.messages[0]?.id).not.toBe('com.vmware.vapi.endpoint.method.authentication.required')

    const off = pickVm('POWERED_OFF', 'LINUX')
    const offAnswer = await http('POST', `/api/vcenter/vm/${off}/guest/processes?action=list`, { body: { credentials: creds } })
    expect(offAnswer.status).toBe(400)
    expect(ApiError.parse(offAnswer.json).error_type).toBe('NOT_ALLOWED_IN_CURRENT_STATE')
    const noBody = await http('POST', `/api/vcenter/vm/${id}/guest/processes?action=list`, { body: {} })
    expect(ApiError.parse(noBody.json).error_type).toBe('INVALID_ARGUMENT')
    const kill1 = await http('POST', `/api/vcenter/vm/${id}/guest/processes/1?action=delete`, { body: { credentials: creds } })
    expect(kill1.status).toBe(403)
    expect(ApiError.parse(kill1.json).error_type).toBe('UNAUTHORIZED')
  })

  it('guest processes: 503 when Tools are not running, 400 unsupported when Tools cannot', async () => {
    const id = pickVm('POWERED_ON', 'LINUX')
    const vm = lab.state.inv.vmById.get(id)!
    try {
      vm.toolsOverride = 'not_running'
      const a = await http('POST', `/api/vcenter/vm/${id}/guest/processes?action=list`, { body: { credentials: creds } })
      expect(a.status).toBe(503)
      expect(ApiError.parse(a.json).error_type).toBe('SERVICE_UNAVAILABLE')
      vm.toolsOverride = 'unsupported'
      const b = await http('POST', `/api/vcenter/vm/${id}/guest/filesystem/files?action=list`, { body: { credentials: creds, path: '/' } })
      expect(b.status).toBe(400)
      expect(ApiError.parse(b.json).error_type).toBe('UNSUPPORTED')
    } finally {
      vm.toolsOverride = undefined
    }
  })

  it('guest files: paged directory listing and file info', async () => {
    const id = pickVm('POWERED_ON', 'LINUX')
    const first = FilesList.parse(
      (await http('POST', `/api/vcenter/vm/${id}/guest/filesystem/files?action=list`, { body: { credentials: creds, path: '/var/log/app' } })).json,
    )
    expect(first.files).toHaveLength(50)
    expect(first).toMatchObject({ start_index: 0, end_index: 49, status: 'READY' })
    const past = FilesList.parse(
      (await http('POST', `/api/vcenter/vm/${id}/guest/filesystem/files?action=list`, {
        body: { credentials: creds, path: '/var/log/app', iteration: { index: first.total, size: 10 } },
      })).json,
    )
    // Past the end: empty, and start/end index absent (SPEC 7.0.3).
    expect(past).toEqual({ files: [], total: first.total, status: 'END_OF_DATA' })
    const filtered = FilesList.parse(
      (await http('POST', `/api/vcenter/vm/${id}/guest/filesystem/files?action=list`, {
        body: { credentials: creds, path: '/var/log', filter: { match_pattern: '\\.gz$' } },
      })).json,
    )
    expect(filtered.files.length).toBeGreaterThan(0)
    expect(filtered.files.every((f) => f.filename.endsWith('.gz'))).toBe(true)
    const info = await http('POST', `/api/vcenter/vm/${id}/guest/filesystem/files/${encodeURIComponent('/etc/hostname')}?action=get`, {
      body: { credentials: creds },
    })
    expect(FileInfo.parse(info.json).attributes.posix_attributes).toBeDefined()
    const missing = await http('POST', `/api/vcenter/vm/${id}/guest/filesystem/files?action=list`, { body: { credentials: creds, path: '/nope' } })
    expect(missing.status).toBe(404)
    expect(ApiError.parse(missing.json).error_type).toBe('NOT_FOUND')
  })

  it('guest operations are /api only; restOnly serves no /api at all', async () => {
    const id = pickVm('POWERED_ON', 'LINUX')
    const rest = await http('POST', `/rest/vcenter/vm/${id}/guest/processes?action=list`, { body: { credentials: creds } })
    expect(rest.status).toBe(404)
    RestError.parse(rest.json)
    await lab.setFaults({ restOnly: true })
    try {
      const api = await http('GET', '/api/vcenter/vm')
      expect(api.status).toBe(404)
      ApiError.parse(api.json)
      expect((await http('GET', '/rest/vcenter/vm')).status).toBe(200)
    } finally {
      await lab.setFaults({ restOnly: false })
    }
  })
})
