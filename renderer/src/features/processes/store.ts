// One store per process viewer tab (one VM): the merged process list, sort, filter, selection,
// the auto-refresh interval and the state of the last refresh. Guest calls go through
// ensureGuestCredentials, so missing or refused credentials open the shared dialog and retry.
import { createStore, type StoreApi } from 'zustand'
import { isPortholeError, type ErrorCode } from '../../../../contract/errors'
import type { VmRef } from '../../../../contract/inventory'
import { invoke } from '../../api'
import { ensureGuestCredentials } from '../guest-credentials/ensure-guest-credentials'
import { mergeChanges, mergeProcesses, type ProcessItem } from './process-item'
import type { ProcessColumn, ProcessSort } from './process-view'

/** Auto-refresh choices (ms); 0 is off. */
export const INTERVALS = [0, 2000, 5000, 10_000] as const
export type RefreshInterval = (typeof INTERVALS)[number]

/** Name of the performance measure of one refresh, request to committed table (bench/processes.ts reads it). */
export const REFRESH_MEASURE = 'processes.refresh'
/** The part of it until the answer arrived (host, guest, transport), measured by the store. */
export const ANSWER_MEASURE = 'processes.refresh.answer'

export interface ViewerError {
  code: ErrorCode
  message: string
}

export interface ProcessesState {
  vm: VmRef
  vmName: string
  byPid: ReadonlyMap<number, ProcessItem>
  /** A list has arrived at least once. */
  loaded: boolean
  refreshing: boolean
  /** performance.now() when the refresh whose answer is shown was asked for. */
  requestedAt: number
  /** Bumped by every list that arrived: the table measures the refresh once it has drawn it. */
  listSeq: number
  listedAt?: string
  /** Main's name for the list shown: the next refresh asks only for what changed since. */
  listId?: string
  user?: string
  truncated: boolean
  error?: ViewerError | undefined
  interval: RefreshInterval
  sort: ProcessSort
  query: string
  selected: number | null
  refresh(): Promise<void>
  setInterval(ms: RefreshInterval): void
  sortBy(column: ProcessColumn): void
  setQuery(query: string): void
  select(pid: number | null): void
  kill(pid: number): Promise<void>
  run(spec: { path: string; arguments?: string; workingDirectory?: string; environment?: Record<string, string> }): Promise<number>
}

export type ProcessesStore = StoreApi<ProcessesState>

function viewerError(err: unknown): ViewerError {
  if (isPortholeError(err)) return { code: err.code, message: err.message }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) }
}

export function createProcessesStore(vm: VmRef, vmName: string): ProcessesStore {
  const guest = <T>(run: () => Promise<T>): Promise<T> => ensureGuestCredentials(vm, vmName, run)

  // A refresh asked for while one runs (after a kill, say) runs once that one ends.
  let again = false

  return createStore<ProcessesState>()((set, get) => ({
    vm,
    vmName,
    byPid: new Map(),
    loaded: false,
    refreshing: false,
    requestedAt: 0,
    listSeq: 0,
    truncated: false,
    interval: 2000,
    sort: { column: 'pid', descending: false },
    query: '',
    selected: null,

    async refresh() {
      if (get().refreshing) {
        again = true
        return
      }
      again = false
      const requestedAt = performance.now()
      set({ refreshing: true })
      try {
        const since = get().listId
        const list = await guest(() => invoke('guest.processes.list', since === undefined ? { vm } : { vm, since }))
        performance.measure(ANSWER_MEASURE, { start: requestedAt, end: performance.now() })
        const { byPid, loaded, listSeq } = get()
        set({
          byPid: list.full ? mergeProcesses(byPid, list.rows, !loaded) : mergeChanges(byPid, list.rows, list.removed),
          listId: list.listId,
          loaded: true,
          refreshing: false,
          requestedAt,
          listSeq: listSeq + 1,
          listedAt: list.listedAt,
          user: list.user,
          truncated: list.truncated,
          error: undefined,
        })
      } catch (err) {
        set({ refreshing: false, error: viewerError(err) })
        return
      }
      if (again) await get().refresh()
    },

    setInterval(ms) {
      set({ interval: ms })
    },

    sortBy(column) {
      const { sort } = get()
      set({ sort: sort.column === column ? { column, descending: !sort.descending } : { column, descending: false } })
    },

    setQuery(query) {
      set({ query })
    },

    select(pid) {
      set({ selected: pid })
    },

    async kill(pid) {
      await guest(() => invoke('guest.processes.kill', { vm, pid }))
      await get().refresh()
    },

    async run(spec) {
      const { pid } = await guest(() => invoke('guest.processes.create', { vm, ...spec }))
      set({ selected: pid })
      await get().refresh()
      return pid
    },
  }))
}
