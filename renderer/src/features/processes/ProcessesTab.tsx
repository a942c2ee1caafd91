import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import { useStore } from 'zustand'
import { counted } from '../../app/counted'
import type { TabViewProps } from '../../app/tab-views'
import { invoke } from '../../api'
import { notifyError, notifyInfo } from '../../store/notify'
import { askGuestCredentials } from '../guest-credentials/ensure-guest-credentials'
import { copyText } from './clipboard'
import { KillDialog } from './KillDialog'
import { CopyIcon, KillIcon, RefreshIcon, RunIcon } from './process-icons'
import { rowText, type ProcessItem } from './process-item'
import { filterProcesses, sortProcesses } from './process-view'
import { ProcessTable } from './ProcessTable'
import { RunProgramDialog } from './RunProgramDialog'
import { createProcessesStore, INTERVALS, REFRESH_MEASURE, type ProcessesStore, type RefreshInterval } from './store'
import '../../components/tab-view.css'
import './processes.css'

export { ProcessesIcon } from './process-icons'

const INTERVAL_LABEL: Record<RefreshInterval, string> = { 0: 'Off', 2000: '2 s', 5000: '5 s', 10000: '10 s' }

function subscribeVisibility(onChange: () => void): () => void {
  document.addEventListener('visibilitychange', onChange)
  return () => document.removeEventListener('visibilitychange', onChange)
}
const pageVisible = (): boolean => document.visibilityState === 'visible'

/** Refreshes now and then every `interval` ms after the previous answer, while the tab is shown and the window visible. */
function useAutoRefresh(store: ProcessesStore, visible: boolean): void {
  const interval = useStore(store, (s) => s.interval)
  const listSeq = useStore(store, (s) => s.listSeq)
  const error = useStore(store, (s) => s.error)
  const loaded = useStore(store, (s) => s.loaded)
  const [shownAt, setShownAt] = useState(0)

  // Coming back into view: refresh at once (also the first load of a tab opened in the background).
  useEffect(() => {
    if (!visible) return
    setShownAt(performance.now())
    const { loaded: has, requestedAt, interval: every } = store.getState()
    if (!has || every === 0 || performance.now() - requestedAt >= every) void store.getState().refresh()
  }, [visible, store])

  useEffect(() => {
    // A cancelled credentials dialog stops polling until the user asks again.
    if (!visible || interval === 0 || !loaded || error?.code === 'CANCELLED') return
    const timer = setTimeout(() => void store.getState().refresh(), interval)
    return () => clearTimeout(timer)
  }, [visible, interval, listSeq, error, loaded, store, shownAt])
}

function describeChanges(view: Iterable<ProcessItem>): { added: number; ended: number } {
  let added = 0
  let ended = 0
  for (const i of view) {
    if (i.change === 'new') added++
    else if (i.change === 'ended') ended++
  }
  return { added, ended }
}

/** Whether a process can still be killed: listed and not ended (ours keep showing 5 minutes after they end). */
function killable(item: ProcessItem | undefined): boolean {
  return item !== undefined && !item.gone && item.finished === ''
}

/** The process viewer of one VM: sortable, filterable, auto-refreshing list with kill, run and copy. */
export function ProcessesTab({ tab, active }: TabViewProps<'processes'>) {
  const [store] = useState(() => createProcessesStore(tab.params.vm, tab.params.vmName))
  const windowVisible = useSyncExternalStore(subscribeVisibility, pageVisible)
  const visible = active && windowVisible
  useAutoRefresh(store, visible)

  const byPid = useStore(store, (s) => s.byPid)
  const sort = useStore(store, (s) => s.sort)
  const query = useStore(store, (s) => s.query)
  const selected = useStore(store, (s) => s.selected)
  const refreshing = useStore(store, (s) => s.refreshing)
  const loaded = useStore(store, (s) => s.loaded)
  const error = useStore(store, (s) => s.error)
  const interval = useStore(store, (s) => s.interval)
  const listedAt = useStore(store, (s) => s.listedAt)
  const user = useStore(store, (s) => s.user)
  const listSeq = useStore(store, (s) => s.listSeq)
  const truncated = useStore(store, (s) => s.truncated)
  const actions = store.getState()

  const sorted = useMemo(() => sortProcesses(byPid.values(), sort), [byPid, sort])
  const view = useMemo(() => filterProcesses(sorted, query), [sorted, query])
  const changes = useMemo(() => describeChanges(byPid.values()), [byPid])
  const windows = useMemo(() => [...byPid.values()].some((i) => i.owner.startsWith('NT AUTHORITY')), [byPid])
  const current = selected === null ? undefined : byPid.get(selected)

  const [killing, setKilling] = useState<ProcessItem | undefined>()
  const [running, setRunning] = useState(false)

  const onDrawn = useCallback(() => {
    performance.measure(REFRESH_MEASURE, { start: store.getState().requestedAt, end: performance.now() })
  }, [store])
  const copy = useCallback((item: ProcessItem) => {
    void copyText(rowText(item)).then((ok) => (ok ? notifyInfo(`Copied process ${item.pid}.`) : notifyError(new Error('The clipboard refused the text.'), 'Could not copy')))
  }, [])
  const askKill = useCallback((item: ProcessItem) => killable(item) && setKilling(item), [])

  const { vmName } = tab.params
  /** Opens the credentials dialog with what main knows, and lists again as whoever was given. */
  const switchUser = async (): Promise<void> => {
    const vm = tab.params.vm
    const status = await invoke('guest.credentials.status', { vm }).catch(() => undefined)
    if (await askGuestCredentials(vm, vmName, 'missing', undefined, status)) await actions.refresh()
  }
  const needsSignIn = error?.code === 'CANCELLED' || error?.code === 'GUEST_AUTH_FAILED'

  return (
    <section className="processes" aria-label={`Processes of ${vmName}`}>
      <div className="tab-toolbar" role="toolbar" aria-label="Process actions">
        <button type="button" className="button button-secondary" onClick={() => void actions.refresh()} aria-busy={refreshing || undefined}>
          <RefreshIcon />
          <span>{refreshing ? 'Refreshing…' : 'Refresh'}</span>
        </button>
        <label className="processes-interval">
          <span>Auto-refresh</span>
          <select className="select" value={interval} onChange={(e) => actions.setInterval(Number(e.target.value) as RefreshInterval)}>
            {INTERVALS.map((ms) => (
              <option key={ms} value={ms}>
                {INTERVAL_LABEL[ms]}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          className="input processes-filter"
          placeholder="Filter by pid, name, owner, command"
          aria-label="Filter processes"
          value={query}
          onChange={(e) => actions.setQuery(e.target.value)}
        />
        <span className="processes-spacer" />
        <button type="button" className="button button-secondary" onClick={() => setRunning(true)}>
          <RunIcon />
          <span>Run program…</span>
        </button>
        <button
          type="button"
          className="button button-secondary"
          aria-disabled={!killable(current) || undefined}
          title={current ? (killable(current) ? `Kill process ${current.pid}` : `Process ${current.pid} has ended`) : 'Select a process first'}
          onClick={() => current && killable(current) && setKilling(current)}
        >
          <KillIcon />
          <span>Kill…</span>
        </button>
        <button
          type="button"
          className="button button-secondary"
          aria-disabled={!current || undefined}
          title={current ? 'Copy the row (Ctrl+C)' : 'Select a process first'}
          onClick={() => current && copy(current)}
        >
          <CopyIcon />
          <span>Copy</span>
        </button>
      </div>

      {error && (
        <div className={`tab-error${loaded ? '' : ' is-blocking'}`} role="alert">
          <span>
            {needsSignIn ? 'Porthole needs the guest credentials of this VM to list its processes.' : error.message}{' '}
            <code>{error.code}</code>
          </span>
          <button type="button" className="button button-secondary" onClick={() => void actions.refresh()}>
            {needsSignIn ? 'Sign in…' : 'Try again'}
          </button>
        </div>
      )}

      {loaded ? (
        <ProcessTable
          view={view}
          total={byPid.size}
          sort={sort}
          selected={selected}
          listSeq={listSeq}
          onDrawn={onDrawn}
          onSort={actions.sortBy}
          onSelect={actions.select}
          onKill={askKill}
          onCopy={copy}
        />
      ) : (
        !error && (
          <div className="processes-loading" role="status" aria-busy="true">
            Listing the processes of {vmName}…
          </div>
        )
      )}

      <div className="processes-status" role="status" aria-live="off" data-testid="processes-status">
        {loaded && (
          <>
            <span data-testid="process-count">
              {view.length === byPid.size ? counted(byPid.size, 'process', 'processes') : `${view.length.toLocaleString()} of ${counted(byPid.size, 'process', 'processes')}`}
            </span>
            {user !== undefined && (
              <span>
                as {user || 'the token\u2019s user'}{' '}
                <button type="button" className="processes-link" onClick={() => void switchUser()}>
                  Switch user…
                </button>
              </span>
            )}
            {listedAt && <span>listed {new Date(listedAt).toLocaleTimeString()}</span>}
            {(changes.added > 0 || changes.ended > 0) && (
              <span>
                {changes.added > 0 && <span className="processes-legend is-new">{changes.added} new</span>}{' '}
                {changes.ended > 0 && <span className="processes-legend is-ended">{changes.ended} ended</span>}
              </span>
            )}
            {truncated && <span>list cut at {byPid.size.toLocaleString()}</span>}
          </>
        )}
        <span className="processes-spacer" />
        <span data-testid="refresh-state">{interval === 0 ? 'Auto-refresh off' : visible ? `Every ${INTERVAL_LABEL[interval]}` : 'Paused while hidden'}</span>
      </div>

      {killing && (
        <KillDialog
          item={killing}
          vmName={vmName}
          onClose={() => setKilling(undefined)}
          onKill={async () => {
            await actions.kill(killing.pid)
            setKilling(undefined)
          }}
        />
      )}
      {running && (
        <RunProgramDialog
          windows={windows}
          onClose={() => setRunning(false)}
          onRun={async (spec) => {
            const pid = await actions.run(spec)
            setRunning(false)
            notifyInfo(`Started ${spec.path} as process ${pid}.`)
          }}
        />
      )}
    </section>
  )
}
