// Paged ZStack queries (reference §4): `limit`/`start` over a stable order (sort by uuid, so an
// offset means the same rows on every page), `replyWithCount` on the first page to know how
// many pages to ask for, a few pages in flight at once, pages yielded in order. A page that
// comes back short ends the walk; a full last page makes it go on (rows were added meanwhile).
import { PortholeError } from '../../../../contract/errors'
import { QueryReply, read } from './wire'

export interface QueryOptions {
  /** `q` conditions, ANDed, e.g. `type=UserVm`. */
  conditions?: string[]
  /** Top-level fields to return (`fields=`). */
  fields?: string[]
  /** Rows per page; default 1000 (ZStack's own default limit). */
  pageSize?: number
  /** Pages in flight at once; default 3. */
  concurrency?: number
}

export type Get = (path: string, query: URLSearchParams, signal: AbortSignal) => Promise<unknown>

function params(options: QueryOptions, start: number, limit: number, withCount: boolean): URLSearchParams {
  const q = new URLSearchParams()
  for (const c of options.conditions ?? []) q.append('q', c)
  if (options.fields) q.set('fields', options.fields.join(','))
  // URLSearchParams writes '+' as %2B, so ZStack reads ascending (an unencoded '+' would be a space).
  q.set('sort', '+uuid')
  q.set('start', String(start))
  q.set('limit', String(limit))
  if (withCount) q.set('replyWithCount', 'true')
  return q
}

/** Every row of a query, page by page, in order. */
export async function* queryPages(get: Get, path: string, options: QueryOptions, signal: AbortSignal): AsyncGenerator<unknown[]> {
  const size = options.pageSize ?? 1000
  const concurrency = Math.max(1, options.concurrency ?? 3)
  const fetchPage = async (start: number, withCount: boolean): Promise<{ rows: unknown[]; total: number | undefined }> => {
    const reply = read(QueryReply, await get(path, params(options, start, size, withCount), signal), `the query of ${path}`)
    return { rows: reply.inventories, total: reply.total }
  }
  const first = await fetchPage(0, true)
  yield first.rows
  if (first.rows.length < size) return
  if (first.rows.length > size) throw new PortholeError('PROVIDER_ERROR', `ZStack returned more rows than the limit for ${path}.`)
  const total = first.total ?? Infinity
  let next = size
  const inFlight: Promise<{ rows: unknown[]; total: number | undefined }>[] = []
  const launch = (): void => {
    const p = fetchPage(next, false)
    // Handled now (awaited in order later), so a failure while an earlier page is awaited is not "unhandled".
    p.catch(() => undefined)
    inFlight.push(p)
    next += size
  }
  const fill = (): void => {
    while (inFlight.length < concurrency && (next < total || (total === Infinity && inFlight.length === 0))) launch()
  }
  fill()
  while (inFlight.length > 0) {
    const page = await (inFlight.shift() as Promise<{ rows: unknown[]; total: number | undefined }>)
    if (page.rows.length < size) {
      yield page.rows
      // Later pages in flight can only be empty or shifted duplicates: let them settle unseen.
      inFlight.length = 0
      return
    }
    // Refilled before this page is handed on, so `concurrency` pages stay in flight while the
    // caller works on it (refilling after would leave one slot idle for that whole time).
    fill()
    // The count was taken on the first page; rows added since then sit past it.
    if (inFlight.length === 0) launch()
    yield page.rows
  }
}
