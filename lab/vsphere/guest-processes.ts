// Guest processes (reference §5, seed 004): list / get / create / delete on
// `/api/vcenter/vm/{vm}/guest/processes[/{pid}]?action=…`, over a deterministic process table
// per guest. Processes started with create stay listed with exit code for 5 minutes after exit.
import { z } from 'zod'
import { authorizeGuest, type GuestUser } from './guest-auth'
import { fileTree, pathExists } from './guest-files'
import { invalidArgument } from './filters'
import type { Vm } from './inventory'
import { random } from './random'
import { actionOf, vmRef, type Call, type LabState } from './state'
import { created, done, message, ok, VapiError, type Reply } from './wire'

export const EXIT_RETENTION_MS = 5 * 60_000

export interface GuestProcess {
  pid: number
  name: string
  owner: string
  command: string
  started: number
  /** Only processes started with create: when they finish (planned) and how. */
  finishAt?: number
  exitCode?: number
  fromCreate: boolean
}

export interface ProcessTable {
  byPid: Map<number, GuestProcess>
  nextPid: number
}

const LINUX_BASE: [string, string, string][] = [
  ['systemd', 'root', '/sbin/init splash'],
  ['kthreadd', 'root', ''],
  ['systemd-journald', 'root', '/lib/systemd/systemd-journald'],
  ['systemd-udevd', 'root', '/lib/systemd/systemd-udevd'],
  ['systemd-networkd', 'systemd-network', '/lib/systemd/systemd-networkd'],
  ['systemd-resolved', 'systemd-resolve', '/lib/systemd/systemd-resolved'],
  ['rsyslogd', 'syslog', '/usr/sbin/rsyslogd -n -iNONE'],
  ['cron', 'root', '/usr/sbin/cron -f -P'],
  ['dbus-daemon', 'messagebus', '/usr/bin/dbus-daemon --system --address=systemd: --nofork --nopidfile'],
  ['vmtoolsd', 'root', '/usr/bin/vmtoolsd'],
  ['VGAuthService', 'root', '/usr/bin/VGAuthService'],
  ['sshd', 'root', 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups'],
  ['agetty', 'root', '/sbin/agetty -o -p -- \\u --noclear tty1 linux'],
  ['chronyd', '_chrony', '/usr/sbin/chronyd -F 1'],
]
const LINUX_ROLE: Record<string, [string, string, string][]> = {
  web: [['nginx', 'root', 'nginx: master process /usr/sbin/nginx -g daemon on; master_process on;'], ['nginx', 'www-data', 'nginx: worker process'], ['nginx', 'www-data', 'nginx: worker process']],
  nginx: [['nginx', 'root', 'nginx: master process /usr/sbin/nginx'], ['nginx', 'www-data', 'nginx: worker process']],
  haproxy: [['haproxy', 'haproxy', '/usr/sbin/haproxy -Ws -f /etc/haproxy/haproxy.cfg -p /run/haproxy.pid']],
  app: [['java', 'app', '/usr/bin/java -Xmx4g -jar /opt/app/app.jar']],
  api: [['node', 'app', 'node /srv/api/server.js']],
  db: [['postgres', 'postgres', '/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main'], ['postgres', 'postgres', 'postgres: checkpointer'], ['postgres', 'postgres', 'postgres: walwriter']],
  pg: [['postgres', 'postgres', '/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main'], ['postgres', 'postgres', 'postgres: autovacuum launcher']],
  redis: [['redis-server', 'redis', '/usr/bin/redis-server 127.0.0.1:6379']],
  'k8s-node': [['containerd', 'root', '/usr/bin/containerd'], ['kubelet', 'root', '/usr/bin/kubelet --config=/var/lib/kubelet/config.yaml']],
  'k8s-master': [['kube-apiserver', 'root', 'kube-apiserver --advertise-address=10.0.0.10'], ['etcd', 'root', 'etcd --data-dir=/var/lib/etcd']],
  dns: [['named', 'bind', '/usr/sbin/named -f -u bind']],
  mon: [['prometheus', 'prometheus', '/usr/bin/prometheus --config.file=/etc/prometheus/prometheus.yml']],
  log: [['java', 'elasticsearch', '/usr/share/elasticsearch/jdk/bin/java -Xms8g -Xmx8g org.elasticsearch.bootstrap.Elasticsearch']],
  'jenkins-agent': [['java', 'jenkins', 'java -jar /opt/jenkins/agent.jar -url https://ci.lab.local/']],
  'gitlab-runner': [['gitlab-runner', 'root', '/usr/bin/gitlab-runner run --working-directory /home/gitlab-runner']],
  dev: [['bash', 'demo', '-bash'], ['tmux: server', 'demo', 'tmux new -s work']],
}
const WINDOWS_BASE: [string, string, string][] = [
  ['System', 'NT AUTHORITY\\SYSTEM', ''],
  ['smss.exe', 'NT AUTHORITY\\SYSTEM', '\\SystemRoot\\System32\\smss.exe'],
  ['csrss.exe', 'NT AUTHORITY\\SYSTEM', '%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows'],
  ['wininit.exe', 'NT AUTHORITY\\SYSTEM', 'wininit.exe'],
  ['services.exe', 'NT AUTHORITY\\SYSTEM', 'C:\\Windows\\system32\\services.exe'],
  ['lsass.exe', 'NT AUTHORITY\\SYSTEM', 'C:\\Windows\\system32\\lsass.exe'],
  ['svchost.exe', 'NT AUTHORITY\\SYSTEM', 'C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p'],
  ['svchost.exe', 'NT AUTHORITY\\NETWORK SERVICE', 'C:\\Windows\\system32\\svchost.exe -k RPCSS -p'],
  ['svchost.exe', 'NT AUTHORITY\\LOCAL SERVICE', 'C:\\Windows\\System32\\svchost.exe -k LocalServiceNetworkRestricted -p'],
  ['spoolsv.exe', 'NT AUTHORITY\\SYSTEM', 'C:\\Windows\\System32\\spoolsv.exe'],
  ['vmtoolsd.exe', 'NT AUTHORITY\\SYSTEM', '"C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe"'],
  ['VGAuthService.exe', 'NT AUTHORITY\\SYSTEM', '"C:\\Program Files\\VMware\\VMware Tools\\VMware VGAuth\\VGAuthService.exe"'],
  ['explorer.exe', 'LAB\\Administrator', 'C:\\Windows\\Explorer.EXE'],
]
const WINDOWS_ROLE: Record<string, [string, string, string][]> = {
  sql: [['sqlservr.exe', 'NT SERVICE\\MSSQLSERVER', '"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe" -sMSSQLSERVER']],
  'win-dc': [['dns.exe', 'NT AUTHORITY\\SYSTEM', 'C:\\Windows\\system32\\dns.exe'], ['dfsrs.exe', 'NT AUTHORITY\\SYSTEM', 'C:\\Windows\\system32\\DFSRs.exe']],
  exch: [['MSExchangeTransport.exe', 'NT AUTHORITY\\NETWORK SERVICE', '"C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\MSExchangeTransport.exe"']],
  rds: [['rdpclip.exe', 'LAB\\Administrator', 'rdpclip'], ['TermService', 'NT AUTHORITY\\NETWORK SERVICE', 'C:\\Windows\\System32\\svchost.exe -k termsvcs']],
  vdi: [['chrome.exe', 'LAB\\Administrator', '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"'], ['OUTLOOK.EXE', 'LAB\\Administrator', '"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE"']],
}

function roleOf(vm: Vm): string {
  return vm.name.replace(/-(prod|stg|test)?-?\d+$/, '').replace(/-(prod|stg|test)$/, '')
}

/** The guest's table as it stands after boot: same VM, same boot → same pids and names. */
export function bootTable(vm: Vm): ProcessTable {
  const rand = random(vm.index * 7919 + 17)
  const windows = vm.os.family === 'WINDOWS'
  const rows = windows ? [...WINDOWS_BASE, ...(WINDOWS_ROLE[roleOf(vm)] ?? [])] : [...LINUX_BASE, ...(LINUX_ROLE[roleOf(vm)] ?? [])]
  const byPid = new Map<number, GuestProcess>()
  let pid = windows ? 4 : 1
  for (const [name, owner, command] of rows) {
    byPid.set(pid, { pid, name, owner, command: command || (windows ? '' : `[${name}]`), started: vm.bootedAt + (pid < 10 ? 0 : Math.floor(rand() * 60_000)), fromCreate: false })
    pid += windows ? 4 * (1 + Math.floor(rand() * 60)) : 1 + Math.floor(rand() * 200)
  }
  return { byPid, nextPid: pid + 1000 }
}

function table(state: LabState, vm: Vm): ProcessTable {
  return state.guests.cached(state.guests.processes, vm, () => bootTable(vm))
}

/** Finishes due processes and forgets those that ended more than 5 minutes ago. */
function settle(t: ProcessTable, now: number): void {
  for (const [pid, p] of t.byPid) {
    if (p.finishAt === undefined) continue
    if (now - p.finishAt > EXIT_RETENTION_MS) t.byPid.delete(pid)
  }
}

const iso = (ms: number): string => new Date(ms).toISOString()

function info(p: GuestProcess, now: number, withPid: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = withPid ? { pid: p.pid } : {}
  Object.assign(out, { name: p.name, owner: p.owner, command: p.command, started: iso(p.started) })
  if (!withPid && p.finishAt !== undefined && p.finishAt <= now) {
    out.finished = iso(p.finishAt)
    out.exit_code = p.exitCode ?? 0
  }
  return out
}

function processNotFound(state: LabState, vm: Vm, pid: string): VapiError {
  return new VapiError('NOT_FOUND', [
    message('com.vmware.api.vcenter.vm.guest.processes.not_found', `Process ${pid} was not found in virtual machine '${vmRef(state, vm)}'.`, pid),
  ])
}

const CreateSpec = z.object({
  path: z.string().min(1),
  arguments: z.string().optional(),
  working_directory: z.string().optional(),
  environment_variables: z.record(z.string(), z.string()).optional(),
  start_minimized: z.boolean().optional(),
})

/** How long a created program runs: `sleep N` N seconds, anything else a moment. */
function runtimeMs(path: string, args: string | undefined): number {
  if (/(^|[/\\])sleep$/.test(path)) return Math.max(0, Number.parseFloat(args ?? '0') || 0) * 1000
  return 50
}

function create(state: LabState, vm: Vm, user: GuestUser, body: Record<string, unknown>): Reply {
  const parsed = CreateSpec.safeParse(body.spec)
  if (!parsed.success) throw invalidArgument("The request body must have a valid 'spec' with an absolute 'path'.", 'spec')
  const spec = parsed.data
  const windows = vm.os.family === 'WINDOWS'
  if (spec.start_minimized !== undefined && !windows) throw invalidArgument("'start_minimized' is only for Windows guests.", 'start_minimized')
  if (!pathExists(fileTree(state, vm), spec.path)) {
    throw new VapiError('NOT_FOUND', [message('com.vmware.api.vcenter.vm.guest.processes.program_not_found', `The program '${spec.path}' was not found.`, spec.path)])
  }
  const t = table(state, vm)
  const now = state.now()
  const pid = t.nextPid
  t.nextPid += windows ? 4 : 1
  const name = spec.path.split(/[/\\]/).pop() ?? spec.path
  t.byPid.set(pid, {
    pid,
    name,
    owner: windows ? `LAB\\${user.name}` : user.name,
    command: spec.arguments ? `"${spec.path}" ${spec.arguments}` : `"${spec.path}"`,
    started: now,
    finishAt: now + runtimeMs(spec.path, spec.arguments),
    exitCode: /(^|[/\\])false$/.test(spec.path) ? 1 : 0,
    fromCreate: true,
  })
  return created(pid)
}

/** POST …/guest/processes?action=list|create and …/guest/processes/{pid}?action=get|delete. */
export function guestProcesses(state: LabState, call: Call, vm: Vm, pid: string | undefined): Reply {
  const action = actionOf(call)
  const user = authorizeGuest(state, vm, call.body)
  const t = table(state, vm)
  const now = state.now()
  settle(t, now)
  if (pid === undefined) {
    if (action === 'list') return ok([...t.byPid.values()].map((p) => info(p, now, true)))
    if (action === 'create') return create(state, vm, user, call.body as Record<string, unknown>)
    throw invalidArgument(`Unknown operation '${action ?? ''}' on guest processes.`, action ?? '')
  }
  const p = /^\d+$/.test(pid) ? t.byPid.get(Number(pid)) : undefined
  if (action === 'get') {
    if (!p) throw processNotFound(state, vm, pid)
    return ok(info(p, now, false))
  }
  if (action === 'delete') {
    if (!p || (p.finishAt !== undefined && p.finishAt <= now)) throw processNotFound(state, vm, pid)
    const protectedPid = p.pid === 1 || p.pid === 4
    if (protectedPid || (!user.admin && p.owner !== user.name)) {
      throw new VapiError('UNAUTHORIZED', [message('com.vmware.api.vcenter.vm.guest.processes.kill_denied', `The guest user may not terminate process ${pid}.`, pid)])
    }
    if (p.fromCreate) {
      p.finishAt = now
      p.exitCode = 143
    } else t.byPid.delete(p.pid)
    return done
  }
  throw invalidArgument(`Unknown operation '${action ?? ''}' on a guest process.`, action ?? '')
}
