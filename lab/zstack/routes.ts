// The ZStack APIs the lab answers (reference §1, §4–§6), each marked sync or async, with or
// without credentials, as the open-source server declares them.
import crypto from 'node:crypto'
import type { Inventory } from './inventory'
import type { JobResult } from './jobs'
import { parseQuery, project, QueryRunner, type QuerySpec } from './query'
import { clusterInventory, clusterQueryable, hostInventory, hostQueryable, vmInventory, vmQueryable, zoneInventory, zoneQueryable } from './render'
import { sessionInventory, type Session } from './sessions'
import { findVm, wait, type LabState } from './state'
import { ACTIONS, runAction } from './vm-actions'
import { schemaOf, zerror, type ObjectKind } from './wire'
import { zstackDate } from './dates'

/** What one API call sees. */
export interface ApiCall {
  /** Path variables, e.g. the uuid. */
  vars: string[]
  query: URLSearchParams
  /** The action key found in a PUT body, and what it held. */
  action: string | undefined
  params: Record<string, unknown>
  session: Session | undefined
}

export interface SyncAnswer {
  body: Record<string, unknown>
  schema?: Record<string, string>
  /** Query replies carry `schema` even when not asked for (RestServer.writeResponse). */
  alwaysSchema?: boolean
}

export interface Api {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE'
  pattern: RegExp
  /** @SuppressCredentialCheck APIs need no Authorization header. */
  auth: boolean
  /** PUT: the body keys (action names) this path accepts. */
  actions?: readonly string[]
  /** POST: the wrapper key of the body. */
  param?: 'params'
  sync?: (call: ApiCall) => SyncAnswer
  async?: (call: ApiCall) => Promise<JobResult>
}

export interface Account {
  name: string
  /** SHA-512 hex of the password, as ZStack stores and compares it. */
  passwordSha512: string
}

export const ZSTACK_VERSION = '4.8.0'

function queryApi<T>(kind: ObjectKind, runner: QueryRunner<T>, render: (row: T) => Record<string, unknown>) {
  return (call: ApiCall): SyncAnswer => {
    const uuid = call.vars[0]
    // GET /things/{uuid} ignores every other parameter and answers an array, empty when missing.
    const spec: QuerySpec = uuid
      ? { conditions: [{ name: 'uuid', op: '=', value: uuid }], limit: 1000, start: 0, count: false, replyWithCount: false, sort: undefined, fields: undefined }
      : parseQuery(call.query)
    const { rows, total } = runner.run(spec)
    if (spec.count) return { body: { total }, schema: {}, alwaysSchema: true }
    const inventories = rows.map((r) => project(render(r), spec.fields))
    const body: Record<string, unknown> = { inventories }
    if (spec.replyWithCount) body.total = total
    return { body, schema: schemaOf('inventories', kind, inventories), alwaysSchema: true }
  }
}

const UUID = '([^/]+)'

/** Every API path the lab knows. */
export function apiTable(state: LabState, account: Account): Api[] {
  const inv = (): Inventory => state.inv
  const version = (): number => state.inv.version
  const vms = new QueryRunner(vmQueryable(state.inv), () => inv().vms, version)
  const zones = new QueryRunner(zoneQueryable, () => inv().zones, () => 0)
  const clusters = new QueryRunner(clusterQueryable(state.inv), () => inv().clusters, () => 0)
  const hosts = new QueryRunner(hostQueryable, () => inv().hosts, () => 0)

  const quick = async <T>(work: () => T): Promise<T> => {
    await wait(state, state.faults.quickJobMs)
    return work()
  }

  return [
    {
      method: 'PUT',
      pattern: /^\/v1\/accounts\/login$/,
      auth: false,
      actions: ['logInByAccount'],
      sync: ({ params }) => {
        const name = params.accountName
        const password = params.password
        if (name !== account.name || typeof password !== 'string' || !timingSafeEqual(password, account.passwordSha512)) {
          throw zerror('ID.1000', 'wrong account name or password')
        }
        if (state.sessions.countFor(state.accountUuid) >= state.faults.maxSessions) {
          throw zerror('ID.1006', `the account[uuid:${state.accountUuid}] has reached the max number of active sessions[${state.faults.maxSessions}]`)
        }
        const inventory = sessionInventory(state.sessions.create(state.accountUuid))
        return { body: { inventory }, schema: schemaOf('inventory', 'session', inventory) }
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/v1/accounts/sessions/${UUID}/valid$`),
      auth: false,
      sync: ({ vars }) => ({ body: { valid: state.sessions.peek(vars[0]) !== undefined } }),
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^/v1/accounts/sessions/${UUID}$`),
      auth: false,
      sync: ({ vars }) => {
        const uuid = vars[0] ?? ''
        state.sessions.delete(uuid)
        state.consoles.forgetSession(uuid)
        return { body: {} }
      },
    },
    {
      method: 'PUT',
      pattern: new RegExp(`^/v1/accounts/sessions/${UUID}/renew$`),
      auth: true,
      actions: ['renewSession'],
      async: ({ vars, params, session }) =>
        quick((): JobResult => {
          const target = state.sessions.peek(vars[0])
          if (!target || !session || target.accountUuid !== session.accountUuid) throw zerror('ID.1001', 'Session expired')
          const duration = params.duration
          if (duration !== undefined && (typeof duration !== 'number' || duration < 60 || duration > 31_536_000)) {
            throw zerror('SYS.1007', `field[duration] must be in range of [60, 31536000], but ${String(duration)} found`)
          }
          const inventory = sessionInventory(state.sessions.renew(target, duration))
          return { ok: true, body: { inventory }, schema: schemaOf('inventory', 'session', inventory) }
        }),
    },
    {
      method: 'PUT',
      pattern: /^\/v1\/management-nodes\/actions$/,
      auth: false,
      actions: ['getVersion'],
      sync: () => ({ body: { version: ZSTACK_VERSION } }),
    },
    { method: 'GET', pattern: /^\/v1\/vm-instances$/, auth: true, sync: queryApi('vm', vms, vmInventory) },
    { method: 'GET', pattern: new RegExp(`^/v1/vm-instances/${UUID}$`), auth: true, sync: queryApi('vm', vms, vmInventory) },
    {
      method: 'PUT',
      pattern: new RegExp(`^/v1/vm-instances/${UUID}/actions$`),
      auth: true,
      actions: Object.keys(ACTIONS),
      async: ({ vars, action, params }) => runAction(state, vars[0] ?? '', action ?? '', params),
    },
    {
      method: 'POST',
      pattern: /^\/v1\/consoles$/,
      auth: true,
      param: 'params',
      async: async ({ params, session }) => {
        await wait(state, state.faults.quickJobMs)
        const uuid = params.vmInstanceUuid
        if (typeof uuid !== 'string' || uuid === '') {
          throw zerror('SYS.1007', 'field[vmInstanceUuid] of message[org.zstack.header.console.APIRequestConsoleAccessMsg] is mandatory, can not be null')
        }
        const vm = findVm(state, uuid)
        const allowed = ['Running', 'Paused', 'Crashed', 'VolumeRecovering', 'NoState']
        if (!allowed.includes(vm.state)) {
          throw zerror('SYS.1006', `vm[uuid:${vm.uuid}] is not in state of [${allowed.join(', ')}], current state is ${vm.state}`)
        }
        const grant = await state.consoles.grant(session?.uuid ?? '', vm)
        const inventory = {
          scheme: 'http',
          hostname: state.faults.consoleHostname,
          port: grant.port,
          token: grant.token,
          targetScheme: 'vnc',
          version: ZSTACK_VERSION,
          expiredDate: zstackDate(grant.expires),
        }
        return { ok: true, body: { inventory }, schema: schemaOf('inventory', 'console', inventory) }
      },
    },
    { method: 'GET', pattern: /^\/v1\/zones$/, auth: true, sync: queryApi('zone', zones, zoneInventory) },
    { method: 'GET', pattern: new RegExp(`^/v1/zones/${UUID}$`), auth: true, sync: queryApi('zone', zones, zoneInventory) },
    { method: 'GET', pattern: /^\/v1\/clusters$/, auth: true, sync: queryApi('cluster', clusters, clusterInventory) },
    { method: 'GET', pattern: new RegExp(`^/v1/clusters/${UUID}$`), auth: true, sync: queryApi('cluster', clusters, clusterInventory) },
    { method: 'GET', pattern: /^\/v1\/hosts$/, auth: true, sync: queryApi('host', hosts, hostInventory) },
    { method: 'GET', pattern: new RegExp(`^/v1/hosts/${UUID}$`), auth: true, sync: queryApi('host', hosts, hostInventory) },
  ]
}

function timingSafeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  return x.length === y.length && crypto.timingSafeEqual(x, y)
}
