import { describe, expect, it } from 'vitest'
import { parseQuery, QueryRunner, type Queryable } from './query'
import { HttpError, ZstackError } from './wire'

interface Row {
  id: number
  name: string
  state: string
  host: string | null
  cpu: number
}
const rows: Row[] = [
  { id: 1, name: 'web-01', state: 'Running', host: 'h1', cpu: 2 },
  { id: 2, name: 'web-02', state: 'Stopped', host: null, cpu: 4 },
  { id: 3, name: 'db_01', state: 'Running', host: 'h2', cpu: 16 },
  { id: 4, name: 'vrouter', state: 'Destroyed', host: null, cpu: 2 },
  { id: 5, name: 'app=1', state: 'Paused', host: 'h1', cpu: 8 },
]
const q: Queryable<Row> = {
  className: 'RowInventory',
  fields: { id: (r) => r.id, name: (r) => r.name, state: (r) => r.state, hostUuid: (r) => r.host, cpuNum: (r) => r.cpu },
  dates: new Set(),
}
const runner = new QueryRunner(q, () => rows, () => 0)
const ids = (query: string): number[] => runner.run(parseQuery(new URLSearchParams(query))).rows.map((r) => r.id)

describe('lab query conditions (ZStack operator order)', () => {
  it('supports every operator', () => {
    expect(ids('q=state=Running')).toEqual([1, 3])
    expect(ids('q=state!=Running')).toEqual([2, 4, 5])
    expect(ids('q=state?=Running,Paused')).toEqual([1, 3, 5])
    expect(ids('q=state!?=Destroyed,Expunging')).toEqual([1, 2, 3, 5])
    expect(ids('q=name~=web%25')).toEqual([1, 2])
    expect(ids('q=name~=db_01')).toEqual([3])
    expect(ids('q=name~=WEB-0_')).toEqual([1, 2])
    expect(ids('q=name!~=web%25')).toEqual([3, 4, 5])
    expect(ids('q=cpuNum>4')).toEqual([3, 5])
    expect(ids('q=cpuNum>=4')).toEqual([2, 3, 5])
    expect(ids('q=cpuNum<4')).toEqual([1, 4])
    expect(ids('q=cpuNum<=4')).toEqual([1, 2, 4])
    expect(ids('q=hostUuid is null')).toEqual([2, 4])
    expect(ids('q=hostUuid not null')).toEqual([1, 3, 5])
    // Conditions AND; '!=' is found before '=' so a value may hold '=' only after the first operator.
    expect(ids('q=state=Running&q=cpuNum>2')).toEqual([3])
    expect(ids('q=name=app=1')).toEqual([5])
  })

  it('pages with limit/start, counts, sorts with + and -', () => {
    expect(ids('limit=2&start=1')).toEqual([2, 3])
    const withCount = runner.run(parseQuery(new URLSearchParams('limit=1&q=state!=Destroyed&replyWithCount=true')))
    expect(withCount.total).toBe(4)
    expect(ids('sort=-cpuNum')).toEqual([3, 5, 2, 1, 4])
    expect(ids('sort=%2BcpuNum')).toEqual([1, 4, 2, 5, 3])
    // An unencoded '+' arrives as a space, is trimmed: ascending.
    expect(ids('sort=+cpuNum')).toEqual([1, 4, 2, 5, 3])
    expect(parseQuery(new URLSearchParams('count=true')).count).toBe(true)
    expect(parseQuery(new URLSearchParams('')).limit).toBe(1000)
  })

  it('rejects syntax as 400 text and unknown fields as SYS.1007', () => {
    expect(() => parseQuery(new URLSearchParams('q=nothing'))).toThrowError(HttpError)
    expect(() => parseQuery(new URLSearchParams('limit=ten'))).toThrowError(HttpError)
    expect(() => ids('q=colour=red')).toThrowError(ZstackError)
    expect(() => ids('sort=colour')).toThrowError(ZstackError)
  })
})
