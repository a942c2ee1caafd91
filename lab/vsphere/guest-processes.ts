// Guest processes (reference §5, seed 004): list / get / create / delete on
// `/api/vcenter/vm/{vm}/guest/processes[/{pid}]?action=…`, over a process table per guest that
// lives: besides the steady processes of boot (and the filler of the per-VM `processes` knob),
// one short-lived process starts every `processChurnMs` and runs 1.5–12 s, all drawn from the
// seed, the VM and the clock, so the same instant always shows the same table. Processes started
// with create run as long as their arguments say (see `runOf`) and stay listed, with `finished`
// and `exit_code` on get, for 5 minutes after they end.
import { z } from 'zod'
import { authorizeGuest, type GuestUser } from './guest-auth'
import {
  LINUX_BASE,
  LINUX_FILLER,
  LINUX_ROLE,
  LINUX_TRANSIENT,
  WINDOWS_BASE,
  WINDOWS_FILLER,
  WINDOWS_ROLE,
  WINDOWS_TRANSIENT,
  type ProcessRow,
} from './guest-process-catalog'
import { fileTree, pathExists, resolve } from './guest-files'
import { invalidArgument } from './filters'
import type { Vm } from './inventory'
import { random } from './random'
import { actionOf, vmRef, type Call, type LabState } from './state'
import { created, done, message, ok, VapiError, type Reply } from './wire'

export const EXIT_RETENTION_MS = 5 * 60_000
/** Short-lived processes live between these (ms). */
export const TRANSIENT_MIN_MS = 1_500
export const TRANSIENT_MAX_MS = 12_000
/** Most processes the per-VM knob may ask for. */
export const MAX_PROCESSES = 20_000
/** Longest a created program runs (a `sleep 1e9` must not pin a table forever). */
const MAX_RUN_MS = 24 * 3600_000
/** Pids of short-lived processes: a range of their own, so they never collide with boot or create pids. */
const LINUX_TRANSIENT_PID = 200_000
const WINDOWS_TRANSIENT_PID = 400_000
const TRANSIENT_PIDS = 50_000

export interface GuestProcess {
  pid: number
  name: string
  owner: string
  command: string
  started: number
  /** `started` as ISO 8601, made once (a list of 5,000 would otherwise format 5,000 dates per call). */
  startedIso?: string
  /** Only processes started with create: when they finish (planned) and how. */
  finishAt?: number
  exitCode?: number
  fromCreate: boolean
}

export interface ProcessTable {
  /** Steady processes (boot, workload, filler) and those started with create. */
  byPid: Map<number, GuestProcess>
  nextPid: number
  bootedAt: number
  /** Churn slots whose process was killed through the API: it must not come back. */
  killedSlots: Set<number>
}

function roleOf(vm: Vm): string {
  return vm.name.replace(/-(prod|stg|test)?-?\d+$/, '').replace(/-(prod|stg|test)$/, '')
}

/**
 * The guest's steady table as it stands after boot: same VM, same boot → same pids and names.
 * `count` (the per-VM knob) pads it with filler up to that many processes.
 */
export function bootTable(vm: Vm, count: number | undefined, now: number): ProcessTable {
  const rand = random(vm.index * 7919 + 17)
  const windows = vm.os.family === 'WINDOWS'
  const rows: ProcessRow[] = windows ? [...WINDOWS_BASE, ...(WINDOWS_ROLE[roleOf(vm)] ?? [])] : [...LINUX_BASE, ...(LINUX_ROLE[roleOf(vm)] ?? [])]
  const filler = windows ? WINDOWS_FILLER : LINUX_FILLER
  for (let i = rows.length; count !== undefined && i < count; i++) rows.push((filler[i % filler.length] as (i: number) => ProcessRow)(i))
  const byPid = new Map<number, GuestProcess>()
  let pid = windows ? 4 : 1
  // Small pid steps when crowded, so 20,000 processes stay below the short-lived range.
  const spread = rows.length > 500 ? 2 : windows ? 60 : 200
  for (const [name, owner, command] of rows) {
    const started = Math.min(now, vm.bootedAt + (pid < 10 ? 0 : Math.floor(rand() * 60_000)))
    byPid.set(pid, { pid, name, owner, command: command || (windows ? '' : `[${name}]`), started, fromCreate: false })
    pid += windows ? 4 * (1 + Math.floor(rand() * spread)) : 1 + Math.floor(rand() * spread)
  }
  return { byPid, nextPid: pid + (windows ? 4000 : 1000), bootedAt: vm.bootedAt, killedSlots: new Set() }
}

function table(state: LabState, vm: Vm): ProcessTable {
  return state.guests.cached(state.guests.processes, vm, () => bootTable(vm, state.guests.processCounts.get(vm.id), state.now()))
}

/** The short-lived process of churn slot `k`, whether or not it runs now. */
function transientOf(state: LabState, vm: Vm, k: number, period: number): GuestProcess & { slot: number; endsAt: number } {
  const rand = random((Math.imul(state.seed + 1, 0x9e3779b1) ^ Math.imul(vm.index + 1, 0x85ebca6b) ^ Math.imul(k, 0xc2b2ae35)) >>> 0)
  const windows = vm.os.family === 'WINDOWS'
  const started = k * period + Math.floor(rand() * period)
  const life = TRANSIENT_MIN_MS + Math.floor(rand() * (TRANSIENT_MAX_MS - TRANSIENT_MIN_MS))
  const list = windows ? WINDOWS_TRANSIENT : LINUX_TRANSIENT
  const [name, owner, command] = list[Math.floor(rand() * list.length)] as ProcessRow
  const pid = windows ? WINDOWS_TRANSIENT_PID + 4 * (k % TRANSIENT_PIDS) : LINUX_TRANSIENT_PID + (k % TRANSIENT_PIDS)
  return { pid, name, owner, command, started, fromCreate: false, slot: k, endsAt: started + life }
}

/** The short-lived processes running at `now` (a handful: slots of the last TRANSIENT_MAX_MS). */
function transients(state: LabState, vm: Vm, t: ProcessTable, now: number): (GuestProcess & { slot: number })[] {
  const period = state.faults.processChurnMs
  if (period <= 0) return []
  const out: (GuestProcess & { slot: number })[] = []
  const first = Math.max(Math.floor(t.bootedAt / period) + 1, Math.floor((now - TRANSIENT_MAX_MS) / period) - 1)
  for (let k = first; k <= Math.floor(now / period); k++) {
    const p = transientOf(state, vm, k, period)
    if (p.started <= now && now < p.endsAt && !t.killedSlots.has(k)) out.push(p)
  }
  return out
}

/** Forgets created processes that ended more than 5 minutes ago, and kills of slots long past. */
function settle(state: LabState, t: ProcessTable, now: number): void {
  for (const [pid, p] of t.byPid) {
    if (p.finishAt !== undefined && now - p.finishAt > EXIT_RETENTION_MS) t.byPid.delete(pid)
  }
  const period = state.faults.processChurnMs
  if (period > 0) for (const k of t.killedSlots) if ((k + 1) * period + TRANSIENT_MAX_MS < now) t.killedSlots.delete(k)
}

const iso = (ms: number): string => new Date(ms).toISOString()

function info(p: GuestProcess, now: number, withPid: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = withPid ? { pid: p.pid } : {}
  p.startedIso ??= iso(p.started)
  Object.assign(out, { name: p.name, owner: p.owner, command: p.command, started: p.startedIso })
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
type CreateSpec = z.infer<typeof CreateSpec>

const SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }

/** `5`, `2.5s`, `1m` → ms; undefined when not a duration. */
function duration(text: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text ?? '')
  return m ? Number(m[1]) * (SECONDS[m[2] as string] ?? 1) * 1000 : undefined
}

/**
 * The lab's rule for how long a created program runs and how it exits (documented in README):
 * `sleep N[smhd]`, Windows `timeout /t N`, `ping -c|-n N` run that long; a shell's `-c`/`/c`
 * script is searched for `sleep N` / `timeout /t N` and `exit M`; `false` exits 1; the
 * environment variables LAB_RUN_MS and LAB_EXIT_CODE override both; anything else runs 1 s, exit 0.
 */
export function runOf(spec: Pick<CreateSpec, 'path' | 'arguments' | 'environment_variables'>): { runMs: number; exitCode: number } {
  const program = (spec.path.split(/[/\\]/).pop() ?? '').toLowerCase().replace(/\.exe$/, '')
  const args = spec.arguments?.trim() ?? ''
  let runMs: number | undefined
  let exitCode = program === 'false' ? 1 : 0
  if (program === 'sleep') runMs = duration(args.split(/\s+/)[0])
  else if (program === 'timeout') runMs = duration(/\/t\s+(\d+)/i.exec(args)?.[1])
  else if (program === 'ping') runMs = duration(/-[cn]\s+(\d+)/.exec(args)?.[1])
  else if (['sh', 'bash', 'cmd', 'powershell', 'pwsh'].includes(program)) {
    runMs = duration(/\bsleep\s+(\d+(?:\.\d+)?[smhd]?)\b/.exec(args)?.[1] ?? /\btimeout\s+\/t\s+(\d+)/i.exec(args)?.[1])
    const exit = /\bexit\s+(\d+)/.exec(args)?.[1]
    if (exit !== undefined) exitCode = Number(exit)
  }
  const env = spec.environment_variables ?? {}
  const envRun = env.LAB_RUN_MS !== undefined ? Number(env.LAB_RUN_MS) : Number.NaN
  const envExit = env.LAB_EXIT_CODE !== undefined ? Number(env.LAB_EXIT_CODE) : Number.NaN
  if (Number.isFinite(envRun)) runMs = envRun
  if (Number.isInteger(envExit)) exitCode = envExit
  return { runMs: Math.min(MAX_RUN_MS, Math.max(0, runMs ?? 1000)), exitCode }
}

function create(state: LabState, vm: Vm, user: GuestUser, body: Record<string, unknown>): Reply {
  const parsed = CreateSpec.safeParse(body.spec)
  if (!parsed.success) throw invalidArgument("The request body must have a valid 'spec' with an absolute 'path'.", 'spec')
  const spec = parsed.data
  const windows = vm.os.family === 'WINDOWS'
  if (spec.start_minimized !== undefined && !windows) throw invalidArgument("'start_minimized' is only for Windows guests.", 'start_minimized')
  const tree = fileTree(state, vm)
  if (!pathExists(tree, spec.path)) {
    throw new VapiError('NOT_FOUND', [message('com.vmware.api.vcenter.vm.guest.processes.program_not_found', `The program '${spec.path}' was not found.`, spec.path)])
  }
  if (spec.working_directory !== undefined && resolve(tree, spec.working_directory, true)?.type !== 'DIRECTORY') {
    throw new VapiError('NOT_FOUND', [
      message('com.vmware.api.vcenter.vm.guest.processes.working_directory_not_found', `The working directory '${spec.working_directory}' was not found.`, spec.working_directory),
    ])
  }
  const t = table(state, vm)
  const now = state.now()
  const pid = t.nextPid
  t.nextPid += windows ? 4 : 1
  const { runMs, exitCode } = runOf(spec)
  t.byPid.set(pid, {
    pid,
    name: spec.path.split(/[/\\]/).pop() ?? spec.path,
    owner: windows ? `LAB\\${user.name}` : user.name,
    command: spec.arguments ? `"${spec.path}" ${spec.arguments}` : `"${spec.path}"`,
    started: now,
    finishAt: now + runMs,
    exitCode,
    fromCreate: true,
  })
  return created(pid)
}

function kill(state: LabState, vm: Vm, user: GuestUser, t: ProcessTable, pid: string, now: number): Reply {
  const steady = /^\d+$/.test(pid) ? t.byPid.get(Number(pid)) : undefined
  const p = steady ?? transients(state, vm, t, now).find((q) => String(q.pid) === pid)
  if (!p || (p.finishAt !== undefined && p.finishAt <= now)) throw processNotFound(state, vm, pid)
  const owner = vm.os.family === 'WINDOWS' ? p.owner.replace(/^LAB\\/, '') : p.owner
  if (p.pid === 1 || p.pid === 4 || (!user.admin && owner !== user.name)) {
    throw new VapiError('UNAUTHORIZED', [message('com.vmware.api.vcenter.vm.guest.processes.kill_denied', `The guest user may not terminate process ${pid}.`, pid)])
  }
  if (p.fromCreate) {
    // TERM on POSIX (128 + 15); TerminateProcess's usual code on Windows.
    p.finishAt = now
    p.exitCode = vm.os.family === 'WINDOWS' ? 1 : 143
  } else if (steady) t.byPid.delete(p.pid)
  else t.killedSlots.add((p as GuestProcess & { slot: number }).slot)
  return done
}

/** POST …/guest/processes?action=list|create and …/guest/processes/{pid}?action=get|delete. */
export function guestProcesses(state: LabState, call: Call, vm: Vm, pid: string | undefined): Reply {
  const action = actionOf(call)
  const user = authorizeGuest(state, vm, call.body)
  const t = table(state, vm)
  const now = state.now()
  settle(state, t, now)
  if (pid === undefined) {
    if (action === 'list') {
      const out: Record<string, unknown>[] = []
      for (const p of t.byPid.values()) out.push(info(p, now, true))
      for (const p of transients(state, vm, t, now)) out.push(info(p, now, true))
      return ok(out)
    }
    if (action === 'create') return create(state, vm, user, call.body as Record<string, unknown>)
    throw invalidArgument(`Unknown operation '${action ?? ''}' on guest processes.`, action ?? '')
  }
  if (action === 'get') {
    const p = (/^\d+$/.test(pid) ? t.byPid.get(Number(pid)) : undefined) ?? transients(state, vm, t, now).find((q) => String(q.pid) === pid)
    if (!p) throw processNotFound(state, vm, pid)
    return ok(info(p, now, false))
  }
  if (action === 'delete') return kill(state, vm, user, t, pid, now)
  throw invalidArgument(`Unknown operation '${action ?? ''}' on a guest process.`, action ?? '')
}
