// Processes inside a guest (DESIGN.md "Guest operations"): list, get, run a program, kill, over
// the provider of the VM's connection with the VM's guest credentials. vCenter's list has no exit
// codes; for the processes started from Porthole this service remembers the pid and asks `get`
// for when and how they ended, so the list can show it for the 5 minutes the guest keeps it.
import { PortholeError } from '../../../contract/errors'
import { MAX_PROCESS_ROWS, type GuestProcessInfo, type ProcessRow, type RunProgramSpec } from '../../../contract/guest'
import type { VmRef } from '../../../contract/inventory'
import { Limiter } from '../inventory/limiter'
import type { Log } from '../log/log'
import type { GuestOps, GuestProcess, GuestProgramSpec, Provider } from '../providers/provider'
import { vmKey, type GuestCredentialsService } from './credentials'

/** How long the guest keeps the exit code of a process started with create (reference §5). */
export const EXIT_RETENTION_MS = 5 * 60_000
/** `get` calls at once for our own processes during one list. */
const GET_CONCURRENCY = 4

export interface GuestProcessesOptions {
  /** The live provider of a VM's connection (inventory `providerFor`). */
  providerFor(ref: VmRef): Pick<Provider, 'kind' | 'guest'>
  credentials: GuestCredentialsService
  log: Log
  now?: () => number
}

export interface ProcessList {
  listId: string
  /** false: `rows` are what was added or changed since the list asked about, `removed` the pids gone. */
  full: boolean
  rows: ProcessRow[]
  removed: number[]
  total: number
  listedAt: string
  user: string
  truncated: boolean
}

/** Lists kept per VM to answer `since` (a tab or two polling the same VM); rows are shared between them. */
const KEEP_LISTS = 3
/** VMs whose recent lists are kept. */
const KEEP_VMS = 64

interface Snapshot {
  id: string
  rows: Map<number, ProcessRow>
}

function sameRow(a: ProcessRow, b: ProcessRow): boolean {
  for (let i = 0; i < 8; i++) if (a[i] !== b[i]) return false
  return true
}

export interface GuestProcessesService {
  /** Every process in the guest, ours with their end when known; with `since`, only the changes since that list. */
  list(ref: VmRef, since: string | undefined, signal: AbortSignal): Promise<ProcessList>
  /** One process. */
  get(ref: VmRef, pid: number, signal: AbortSignal): Promise<GuestProcessInfo>
  /** Starts a program in the guest and remembers it as ours. */
  create(spec: RunProgramSpec, signal: AbortSignal): Promise<{ pid: number }>
  /** Terminates a process. */
  kill(ref: VmRef, pid: number, signal: AbortSignal): Promise<void>
}

/** What we know of a process started from Porthole. */
interface Ours {
  /** ms; a pid listed with an earlier start is another process that reused the number. */
  createdAt: number
  finished?: string
  exitCode?: number
  /** ms, when we learnt it ended (forgotten 5 minutes later). */
  endedAt?: number
}

/** Clocks of guest and workstation disagree a little; a reused pid is usually minutes apart. */
const CLOCK_SLACK_MS = 60_000

export function createGuestProcesses(options: GuestProcessesOptions): GuestProcessesService {
  const { credentials, log } = options
  const now = options.now ?? Date.now
  const ours = new Map<string, Map<number, Ours>>()
  const lists = new Map<string, Snapshot[]>()
  let listCounter = 0

  /** Keeps `rows` as the VM's newest list; unchanged rows reuse the tuples of the previous one. */
  const remember = (key: string, fresh: ProcessRow[]): { snapshot: Snapshot; kept: Snapshot[] } => {
    const kept = lists.get(key) ?? []
    const latest = kept[kept.length - 1]
    const rows = new Map<number, ProcessRow>()
    for (const row of fresh) {
      const old = latest?.rows.get(row[0])
      rows.set(row[0], old && sameRow(old, row) ? old : row)
    }
    const snapshot = { id: `${now().toString(36)}-${(++listCounter).toString(36)}`, rows }
    lists.delete(key)
    if (lists.size >= KEEP_VMS) lists.delete(lists.keys().next().value as string)
    lists.set(key, [...kept, snapshot].slice(-KEEP_LISTS))
    return { snapshot, kept }
  }

  const guestOf = (ref: VmRef): GuestOps => {
    const provider = options.providerFor(ref)
    if (!provider.guest) throw new PortholeError('UNSUPPORTED', `Guest operations are not available on ${provider.kind} connections.`, { detail: { kind: provider.kind } })
    return provider.guest
  }

  const oursOf = (ref: VmRef): Map<number, Ours> => {
    const key = vmKey(ref)
    let m = ours.get(key)
    if (!m) ours.set(key, (m = new Map()))
    return m
  }

  const isOurs = (mine: Ours | undefined, started: string): mine is Ours => {
    if (!mine) return false
    const t = Date.parse(started)
    return Number.isNaN(t) || t >= mine.createdAt - CLOCK_SLACK_MS
  }

  const learnEnd = (mine: Ours, p: GuestProcess): void => {
    if (p.finished === undefined && p.exitCode === undefined) return
    if (p.finished !== undefined) mine.finished = p.finished
    if (p.exitCode !== undefined) mine.exitCode = p.exitCode
    mine.endedAt ??= now()
  }

  return {
    async list(ref, since, signal) {
      const guest = guestOf(ref)
      return credentials.use(ref, async (c, user) => {
        const processes = await guest.listProcesses(ref.id, c, signal)
        const mine = oursOf(ref)
        const listed = new Set<number>()
        const pending: { p: GuestProcess; o: Ours }[] = []
        for (const p of processes) {
          listed.add(p.pid)
          const o = mine.get(p.pid)
          if (isOurs(o, p.started) && o.endedAt === undefined) pending.push({ p, o })
        }
        // Ours still running at the last look: ask each whether it ended (a few; not one per row).
        const limiter = new Limiter(GET_CONCURRENCY)
        await Promise.all(
          pending.map(({ p, o }) =>
            limiter.run(async () => {
              try {
                learnEnd(o, await guest.getProcess(ref.id, c, p.pid, signal))
              } catch (err) {
                // Gone between list and get: it ended, exit code unknown. Other failures stop the list.
                if (!(err instanceof PortholeError && err.code === 'NOT_FOUND')) throw err
                o.endedAt ??= now()
              }
            }),
          ),
        )
        for (const [pid, o] of mine) {
          if (!listed.has(pid) && (o.endedAt === undefined || now() - o.endedAt > EXIT_RETENTION_MS)) mine.delete(pid)
        }
        const truncated = processes.length > MAX_PROCESS_ROWS
        const fresh: ProcessRow[] = []
        for (const p of truncated ? processes.slice(0, MAX_PROCESS_ROWS) : processes) {
          const o = mine.get(p.pid)
          const own = isOurs(o, p.started)
          fresh.push([p.pid, p.name, p.owner, p.command, p.started, own ? 1 : 0, own ? (o.finished ?? '') : '', own ? (o.exitCode ?? null) : null])
        }
        const { snapshot, kept } = remember(vmKey(ref), fresh)
        const base = since === undefined ? undefined : kept.find((k) => k.id === since)
        const answer = { listId: snapshot.id, total: snapshot.rows.size, listedAt: new Date(now()).toISOString(), user, truncated }
        if (!base) return { ...answer, full: true, rows: [...snapshot.rows.values()], removed: [] }
        // Only what changed: a 5,000-process guest polled every 2 s sends a few rows, not 700 KB.
        const rows: ProcessRow[] = []
        for (const row of snapshot.rows.values()) if (base.rows.get(row[0]) !== row) rows.push(row)
        const removed: number[] = []
        for (const pid of base.rows.keys()) if (!snapshot.rows.has(pid)) removed.push(pid)
        return { ...answer, full: false, rows, removed }
      })
    },

    async get(ref, pid, signal) {
      const guest = guestOf(ref)
      return credentials.use(ref, async (c) => {
        const p = await guest.getProcess(ref.id, c, pid, signal)
        const o = oursOf(ref).get(pid)
        const own = isOurs(o, p.started)
        if (own) learnEnd(o, p)
        const info: GuestProcessInfo = { pid, name: p.name, owner: p.owner, command: p.command, started: p.started, ours: own }
        if (p.finished !== undefined) info.finished = p.finished
        if (p.exitCode !== undefined) info.exitCode = p.exitCode
        return info
      })
    },

    async create(spec, signal) {
      const { vm, ...program } = spec
      const guest = guestOf(vm)
      const wire: GuestProgramSpec = { path: program.path }
      if (program.arguments !== undefined) wire.arguments = program.arguments
      if (program.workingDirectory !== undefined) wire.workingDirectory = program.workingDirectory
      if (program.environment !== undefined) wire.environment = program.environment
      return credentials.use(vm, async (c) => {
        const createdAt = now()
        const pid = await guest.createProcess(vm.id, c, wire, signal)
        oursOf(vm).set(pid, { createdAt })
        // The path only: arguments and environment may carry secrets the user typed.
        log.info('guest: program started', { connectionId: vm.connectionId, vm: vm.id, path: program.path, pid })
        return { pid }
      })
    },

    async kill(ref, pid, signal) {
      const guest = guestOf(ref)
      await credentials.use(ref, (c) => guest.killProcess(ref.id, c, pid, signal))
      log.info('guest: process killed', { connectionId: ref.connectionId, vm: ref.id, pid })
    },
  }
}
