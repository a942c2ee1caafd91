// ZStack's query parameters (reference §4; RestServer.handleQueryApi): `q` conditions with the
// operators checked in ZStack's order, limit (default 1000), start, count, replyWithCount, sort
// (one field, +/-), fields. Syntax errors are 400 plain text; unknown fields fail as the API
// would (503 SYS.1007).
import { HttpError, zerror } from './wire'

export type Scalar = string | number | null

/** How one kind of object is queried: its inventory class name and the fields a query may name. */
export interface Queryable<T> {
  className: string
  fields: Record<string, (row: T) => Scalar>
  /** Fields that hold dates (ms): conditions on them compare times. */
  dates: ReadonlySet<string>
}

type Op = '!=' | '>=' | '<=' | '!?=' | '!~=' | '~=' | '?=' | '=' | '>' | '<' | 'is null' | 'not null'
/** DO NOT change the order: an operator contained in another must come after it. */
const OPS: readonly Op[] = ['!=', '>=', '<=', '!?=', '!~=', '~=', '?=', '=', '>', '<', 'is null', 'not null']

export interface Condition {
  name: string
  op: Op
  value: string
}

export interface QuerySpec {
  conditions: Condition[]
  limit: number
  start: number
  count: boolean
  replyWithCount: boolean
  sort: { field: string; desc: boolean } | undefined
  fields: string[] | undefined
}

export const DEFAULT_LIMIT = 1000

function integer(name: string, value: string): number {
  if (!/^-?\d+$/.test(value)) throw new HttpError(400, `Invalid query parameter. '${name}' must be an integer`)
  return Number(value)
}

/** Reads a query string as ZStack does: first value of each parameter, every `q`. */
export function parseQuery(params: URLSearchParams): QuerySpec {
  const spec: QuerySpec = { conditions: [], limit: DEFAULT_LIMIT, start: 0, count: false, replyWithCount: false, sort: undefined, fields: undefined }
  for (const rawName of new Set(params.keys())) {
    const name = rawName.trim()
    const value = (params.get(rawName) ?? '').trim()
    if (name === 'limit') spec.limit = integer('limit', value)
    else if (name === 'start') spec.start = integer('start', value)
    else if (name === 'count') spec.count = value.toLowerCase() === 'true'
    else if (name === 'replyWithCount') spec.replyWithCount = value.toLowerCase() === 'true'
    else if (name === 'sort') {
      // An unencoded '+' arrives as a space and is trimmed away: ascending either way.
      const desc = value.startsWith('-')
      spec.sort = { field: value.replace(/^[+-]+/, ''), desc }
    } else if (name === 'q') {
      for (const cond of params.getAll(rawName)) spec.conditions.push(parseCondition(cond))
    } else if (name === 'fields') {
      const fields = value.split(',').map((f) => f.trim()).filter(Boolean)
      if (fields.length === 0) throw new HttpError(400, "Invalid query parameter. 'fields' contains zero field")
      spec.fields = fields
    }
    // Anything else (groupBy, filterName, unknown names) is ignored, as the server does.
  }
  return spec
}

function parseCondition(cond: string): Condition {
  const op = OPS.find((o) => cond.includes(o))
  if (!op) {
    throw new HttpError(
      400,
      `Invalid query parameter. The '${cond}' in the parameter[q] doesn't contain any query operator. Valid query operators are [${OPS.join(', ')}]`,
    )
  }
  const at = cond.indexOf(op)
  const name = cond.slice(0, at).trim()
  if (op === 'is null' || op === 'not null') return { name, op, value: '' }
  // The value is not trimmed: a space is valid in some conditions.
  return { name, op, value: cond.slice(at + op.length) }
}

function likeRegex(pattern: string): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')
  // MySQL's default collation compares case-insensitively.
  return new RegExp(`^${body}$`, 'is')
}

function comparable(value: string, isDate: boolean): string | number {
  if (isDate) {
    const n = /^\d+$/.test(value) ? Number(value) : Date.parse(value)
    return Number.isNaN(n) ? value : n
  }
  return value
}

function predicate<T>(c: Condition, get: (row: T) => Scalar, isDate: boolean): (row: T) => boolean {
  const num = (v: string): string | number => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : comparable(v, isDate))
  switch (c.op) {
    case 'is null':
      return (r) => get(r) === null
    case 'not null':
      return (r) => get(r) !== null
    case '=':
      return (r) => get(r) !== null && String(get(r)) === c.value
    case '!=':
      return (r) => get(r) !== null && String(get(r)) !== c.value
    case '?=': {
      const set = new Set(c.value.split(','))
      return (r) => get(r) !== null && set.has(String(get(r)))
    }
    case '!?=': {
      const set = new Set(c.value.split(','))
      return (r) => get(r) !== null && !set.has(String(get(r)))
    }
    case '~=': {
      const re = likeRegex(c.value)
      return (r) => get(r) !== null && re.test(String(get(r)))
    }
    case '!~=': {
      const re = likeRegex(c.value)
      return (r) => get(r) !== null && !re.test(String(get(r)))
    }
    default: {
      const target = num(c.value)
      const cmp = (a: Scalar): number | undefined => {
        if (a === null) return undefined
        if (typeof a === 'number' && typeof target === 'number') return a - target
        return String(a) < String(target) ? -1 : String(a) > String(target) ? 1 : 0
      }
      const test = { '>': (d: number) => d > 0, '<': (d: number) => d < 0, '>=': (d: number) => d >= 0, '<=': (d: number) => d <= 0 }[c.op]
      return (r) => {
        const d = cmp(get(r))
        return d !== undefined && test(d)
      }
    }
  }
}

function field<T>(q: Queryable<T>, name: string, what: string): (row: T) => Scalar {
  const get = q.fields[name]
  if (!get) {
    throw zerror('SYS.1007', `${what}[${name}] is not a queryable field of inventory class[${q.className}]`)
  }
  return get
}

/** The rows matching every condition, sorted; cached per condition set while `version` holds. */
export class QueryRunner<T> {
  private cache: { key: string; version: number; rows: T[] } | undefined

  constructor(
    private readonly queryable: Queryable<T>,
    private readonly rows: () => readonly T[],
    private readonly version: () => number,
  ) {}

  /** The page the spec asks for and the total number of matches. */
  run(spec: QuerySpec): { rows: T[]; total: number } {
    const matched = this.matches(spec)
    const start = Math.max(0, spec.start)
    const page = spec.limit <= 0 ? [] : matched.slice(start, start + spec.limit)
    return { rows: page, total: matched.length }
  }

  private matches(spec: QuerySpec): T[] {
    const key = JSON.stringify([spec.conditions, spec.sort])
    if (this.cache && this.cache.key === key && this.cache.version === this.version()) return this.cache.rows
    const tests = spec.conditions.map((c) => predicate(c, field(this.queryable, c.name, 'condition name'), this.queryable.dates.has(c.name)))
    let out = this.rows().filter((r) => tests.every((t) => t(r)))
    if (spec.sort) {
      const get = field(this.queryable, spec.sort.field, 'sort field')
      const dir = spec.sort.desc ? -1 : 1
      // Stable: ties keep the natural (creation) order.
      out = out
        .map((r, i) => ({ r, i, k: get(r) }))
        .sort((a, b) => {
          if (a.k === b.k) return a.i - b.i
          if (a.k === null) return -dir
          if (b.k === null) return dir
          return (a.k < b.k ? -1 : 1) * dir
        })
        .map((x) => x.r)
    }
    this.cache = { key, version: this.version(), rows: out }
    return out
  }
}

/** Keeps only the named top-level fields (`fields=uuid,name`). */
export function project(row: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  if (!fields) return row
  const out: Record<string, unknown> = {}
  for (const f of fields) if (f in row) out[f] = row[f]
  return out
}
