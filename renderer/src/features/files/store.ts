// One store per file browser tab (one VM): the directory shown, its pages as they arrive, the
// modified times of the rows on screen, sort, focus and the back history. Guest calls go through
// ensureGuestCredentials: missing or refused credentials open the shared dialog and retry.
import { createStore, type StoreApi } from 'zustand'
import type { GuestEntry } from '../../../../contract/files'
import { isPortholeError, type ErrorCode } from '../../../../contract/errors'
import type { VmRef } from '../../../../contract/inventory'
import { invoke } from '../../api'
import { ensureGuestCredentials } from '../guest-credentials/ensure-guest-credentials'
import { joinGuestPath, parentGuestPath, type Separator } from './guest-path'

export const PAGE_SIZE = 200

export type FileColumn = 'name' | 'size' | 'modified' | 'type'
export interface FileSort {
  column: FileColumn
  descending: boolean
}

export interface BrowserError {
  code: ErrorCode
  message: string
}

export interface FilesState {
  vm: VmRef
  vmName: string
  /** The directory shown; undefined before the first listing answered. */
  path: string | undefined
  separator: Separator
  entries: readonly GuestEntry[]
  total: number
  nextIndex: number | undefined
  loading: boolean
  error: BrowserError | undefined
  /** Directories to go back to, most recent last. */
  history: readonly string[]
  sort: FileSort
  /** Name of the focused row. */
  focused: string | undefined
  /** Modified times (ISO) by name, for the rows that were on screen; '' when the guest would not say. */
  modified: ReadonlyMap<string, string>
  /** Opens a directory (no path: the guest's root); `remember` puts the current one on the back history. */
  open(path?: string, remember?: boolean): Promise<void>
  loadMore(): Promise<void>
  refresh(): Promise<void>
  up(): Promise<void>
  back(): Promise<void>
  sortBy(column: FileColumn): void
  focus(name: string | undefined): void
  /** Asks the modified times of these names (the rows on screen), once each. */
  wantInfo(names: readonly string[]): void
  /** The full guest path of an entry of the shown directory. */
  pathOf(name: string): string
}

export type FilesStore = StoreApi<FilesState>

function browserError(err: unknown): BrowserError {
  if (isPortholeError(err)) return { code: err.code, message: err.message }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) }
}

const TYPE_ORDER: Record<GuestEntry['type'], number> = { directory: 0, symlink: 1, file: 2 }

/** Directories first, then by the column; names compare as people read them (file-2 before file-10). */
export function sortEntries(entries: readonly GuestEntry[], sort: FileSort, modified: ReadonlyMap<string, string>): GuestEntry[] {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })
  const dir = sort.descending ? -1 : 1
  return [...entries].sort((a, b) => {
    const group = (a.type === 'directory' ? 0 : 1) - (b.type === 'directory' ? 0 : 1)
    if (group !== 0) return group
    let c = 0
    if (sort.column === 'size') c = a.size - b.size
    else if (sort.column === 'modified') c = (modified.get(a.name) ?? '').localeCompare(modified.get(b.name) ?? '')
    else if (sort.column === 'type') c = TYPE_ORDER[a.type] - TYPE_ORDER[b.type]
    return (c !== 0 ? c * dir : 0) || collator.compare(a.name, b.name) * (sort.column === 'name' ? dir : 1)
  })
}

export function createFilesStore(vm: VmRef, vmName: string): FilesStore {
  let seq = 0
  const asked = new Set<string>()
  const guest = <T>(run: () => Promise<T>): Promise<T> => ensureGuestCredentials(vm, vmName, run)

  return createStore<FilesState>()((set, get) => ({
    vm,
    vmName,
    path: undefined,
    separator: '/',
    entries: [],
    total: 0,
    nextIndex: undefined,
    loading: false,
    error: undefined,
    history: [],
    sort: { column: 'name', descending: false },
    focused: undefined,
    modified: new Map(),

    async open(path, remember = true) {
      const mine = ++seq
      const from = get().path
      set({ loading: true, error: undefined })
      try {
        const page = await guest(() => invoke('files.list', { vm, ...(path !== undefined ? { path } : {}), index: 0, size: PAGE_SIZE }))
        if (mine !== seq) return
        asked.clear()
        set(({ history }) => ({
          path: page.path,
          separator: page.separator,
          entries: page.entries,
          total: page.total,
          nextIndex: page.nextIndex,
          loading: false,
          modified: new Map(),
          // Nothing focused until the user moves: the first row of the sorted view is not the first of the page.
          focused: undefined,
          history: remember && from !== undefined && from !== page.path ? [...history, from] : history,
        }))
      } catch (err) {
        if (mine === seq) set({ loading: false, error: browserError(err) })
      }
    },

    async loadMore() {
      const { path, nextIndex, loading } = get()
      if (path === undefined || nextIndex === undefined || loading) return
      const mine = seq
      set({ loading: true })
      try {
        const page = await guest(() => invoke('files.list', { vm, path, index: nextIndex, size: PAGE_SIZE }))
        if (mine !== seq) return
        set(({ entries }) => {
          // Entries may repeat between pages when the directory changes: keep the first.
          const seen = new Set(entries.map((e) => e.name))
          return { entries: [...entries, ...page.entries.filter((e) => !seen.has(e.name))], total: page.total, nextIndex: page.nextIndex, loading: false }
        })
      } catch (err) {
        if (mine === seq) set({ loading: false, error: browserError(err) })
      }
    },

    refresh: () => get().open(get().path, false),

    async up() {
      const { path, separator } = get()
      const parent = path === undefined ? undefined : parentGuestPath(path, separator)
      if (parent !== undefined) await get().open(parent)
    },

    async back() {
      const { history } = get()
      const previous = history[history.length - 1]
      if (previous === undefined) return
      set({ history: history.slice(0, -1) })
      await get().open(previous, false)
    },

    sortBy(column) {
      set(({ sort }) => ({ sort: { column, descending: sort.column === column ? !sort.descending : false } }))
    },

    focus(name) {
      set({ focused: name })
    },

    wantInfo(names) {
      const { path } = get()
      if (path === undefined) return
      const fresh = names.filter((n) => !asked.has(n)).slice(0, 100)
      if (fresh.length === 0) return
      for (const n of fresh) asked.add(n)
      const mine = seq
      void invoke('files.info', { vm, paths: fresh.map((n) => get().pathOf(n)) }).then(
        ({ files }) => {
          if (mine !== seq) return
          set(({ modified }) => {
            const next = new Map(modified)
            files.forEach((f, i) => next.set(fresh[i] as string, f.modified ?? ''))
            return { modified: next }
          })
        },
        () => undefined,
      )
    },

    pathOf(name) {
      const { path, separator } = get()
      return joinGuestPath(path ?? separator, name, separator)
    },
  }))
}
