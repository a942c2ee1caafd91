// Property test of the contract's front door: every call in `calls`, present and future,
// refuses malformed payloads with INVALID_INPUT before any handler runs. The generator
// makes candidates from nasty values and from mutations of valid examples, and keeps only
// those the call's own schema rejects, so every run is a real malformed request.
import fc from 'fast-check'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { calls, type Calls } from '../../contract/index'
import type { CallSpec } from '../../contract/define'
import { serve, type CallContext, type Handlers } from '../../contract/serve'
import type { CallResult } from '../../contract/result'

const names = Object.keys(calls)
const specOf = (name: string): CallSpec => (calls as Record<string, CallSpec>)[name] as CallSpec

/** At least this many malformed payloads in total, spread over the calls. */
const TOTAL_RUNS = 10_000
const RUNS_PER_CALL = Math.ceil(TOTAL_RUNS / names.length)

// ---------------------------------------------------------------------------------------
// Handlers are spies: each records that it ran, and with what.

const ran: { name: string; input: unknown }[] = []
const handlers = Object.fromEntries(
  names.map((name) => [
    name,
    (input: unknown) => {
      ran.push({ name, input })
      // Whatever it returns: the output check may turn this into INTERNAL; the spy only proves it ran.
      return {}
    },
  ]),
) as unknown as Handlers<Calls>
const logged: string[] = []
const dispatch = serve(calls, handlers, { error: (message) => logged.push(message) })
const ctx: CallContext = { transport: 'websocket', signal: new AbortController().signal }

// ---------------------------------------------------------------------------------------
// Valid examples: hand-written where a schema needs them, else derived from the schema's
// JSON Schema. A call for which neither yields a valid payload fails the test below.

const VALID_EXAMPLES: Record<string, unknown[]> = {
  'settings.set': [{}, { theme: 'dark' }, { layout: { sidebarWidth: 300, sidebarCollapsed: true } }],
  'tls.trust': [{ profileId: 'p1', host: 'esx-01.lab', port: 443, fingerprint256: Array(32).fill('AB').join(':'), replace: true }],
}

type JsonSchema = { [key: string]: unknown }
const isSchema = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v)

const FORMAT_SAMPLES: Record<string, string> = {
  uuid: '00000000-0000-4000-8000-000000000000',
  guid: '00000000-0000-4000-8000-000000000000',
  email: 'ops@example.com',
  uri: 'https://127.0.0.1/',
  url: 'https://127.0.0.1/',
  ipv4: '127.0.0.1',
  ipv6: '::1',
  hostname: 'localhost',
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  time: '00:00:00',
  duration: 'P1D',
}

function examplesOf(schema: unknown, root: JsonSchema, depth = 0): unknown[] {
  if (!isSchema(schema) || depth > 12) return [null]
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref.replace(/^#\/\$defs\//, '')
    const defs = isSchema(root.$defs) ? root.$defs : {}
    return examplesOf(defs[target], root, depth + 1)
  }
  if ('const' in schema) return [schema.const]
  if (Array.isArray(schema.enum)) return schema.enum.slice(0, 3)
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const options = schema[key]
    if (Array.isArray(options)) return options.flatMap((o) => examplesOf(o, root, depth + 1)).slice(0, 6)
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  const num = (key: string): number | undefined => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined)
  switch (type) {
    case 'string': {
      const min = num('minLength') ?? 0
      const format = typeof schema.format === 'string' ? FORMAT_SAMPLES[schema.format] : undefined
      // A fixed seed: the examples are the same on every run.
      const matching = typeof schema.pattern === 'string' ? fc.sample(fc.stringMatching(new RegExp(schema.pattern)), { numRuns: 2, seed: 42 }) : []
      return [...matching, format, 'a'.repeat(Math.max(min, 1)), 'vm-1', '', ...Object.values(FORMAT_SAMPLES)].filter((s) => s !== undefined)
    }
    case 'integer':
    case 'number': {
      const lo = num('minimum') ?? (num('exclusiveMinimum') ?? -Infinity) + 1
      const hi = num('maximum') ?? (num('exclusiveMaximum') ?? Infinity) - 1
      const mid = Number.isFinite(lo) && Number.isFinite(hi) ? Math.floor((lo + hi) / 2) : undefined
      return [lo, hi, mid, 0, 1].filter((n) => n !== undefined && Number.isFinite(n))
    }
    case 'boolean':
      return [false, true]
    case 'null':
      return [null]
    case 'array': {
      if (Array.isArray(schema.prefixItems)) return [schema.prefixItems.map((s) => examplesOf(s, root, depth + 1)[0])]
      const item = examplesOf(schema.items, root, depth + 1)[0]
      return [Array.from({ length: num('minItems') ?? 0 }, () => item)]
    }
    case 'object': {
      const properties = isSchema(schema.properties) ? schema.properties : {}
      const required = new Set(Array.isArray(schema.required) ? schema.required : [])
      const out: unknown[] = []
      for (let j = 0; j < 4; j++) {
        const obj: Record<string, unknown> = {}
        for (const [key, sub] of Object.entries(properties)) {
          if (!required.has(key) && j % 2 === 0) continue
          const values = examplesOf(sub, root, depth + 1)
          if (values.length > 0) obj[key] = values[j % values.length]
        }
        out.push(obj)
      }
      return out
    }
    default:
      return [null, 'x', 0, {}]
  }
}

const examplesCache = new Map<string, unknown[]>()

function validExamples(name: string): unknown[] {
  const cached = examplesCache.get(name)
  if (cached) return cached
  const input = specOf(name).input
  // The input side names what is accepted; the output side keeps the checks a pipe applies after a
  // transform (a trimmed, upper-cased fingerprint's pattern, say). Candidates from both, then filtered.
  const derived = (['input', 'output'] as const).flatMap((io) => {
    const root = z.toJSONSchema(input, { io, unrepresentable: 'any' }) as JsonSchema
    return examplesOf(root, root)
  })
  const candidates = [...(VALID_EXAMPLES[name] ?? []), ...derived]
  const valid = candidates.filter((c) => input.safeParse(c).success)
  examplesCache.set(name, valid)
  return valid
}

// ---------------------------------------------------------------------------------------
// Malformed candidates.

const MIB = 1024 * 1024
/** Prebuilt once: generating a megabyte per run would dominate the test's time. */
const HUGE_STRINGS = ['x'.repeat(MIB + 1), '\u{1F600}'.repeat(MIB / 2), '"\\\u0000</script>'.repeat(MIB / 16)]
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'] as const
const PLACEHOLDER = '\u0001porthole-pollution-key\u0001'

function nested(depth: number, asArray: boolean, leaf: unknown): unknown {
  let value = leaf
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value }
  return value
}

const jsonValue = fc.oneof(
  fc.constantFrom<unknown>({ polluted: 'yes' }, { isAdmin: true }, { toString: 'x' }, { prototype: { polluted: 'yes' } }, null, 1),
  fc.jsonValue({ maxDepth: 3 }),
)

/** `{"__proto__": …}` and friends as own properties, the way JSON.parse makes them on the wire. */
const pollutionObject = fc
  .tuple(fc.constantFrom(...POLLUTION_KEYS), jsonValue)
  .map(([key, value]) => JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value)}}`) as unknown)

const nastyScalar = fc.constantFrom<unknown>(
  null, undefined, NaN, Infinity, -Infinity, -0, 0, -1, 0.5, 1e308, Number.MAX_SAFE_INTEGER + 2, 10n,
  '', '0', 'null', 'true', '[object Object]', '__proto__', true, false,
  new Date(0), new Map([['a', 1]]), new Set([1]), new Uint8Array(4), Object.create(null),
)

/** Nasty values, each tagged with its kind so the test can show every kind was tried. */
const taggedNasty: fc.Arbitrary<[string, unknown]> = fc.oneof(
  { arbitrary: nastyScalar.map((v) => ['scalar', v] as [string, unknown]), weight: 4 },
  { arbitrary: fc.constantFrom(...HUGE_STRINGS).map((v) => ['huge', v] as [string, unknown]), weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.integer({ min: 100, max: 5000 }), fc.boolean(), nastyScalar)
      .map(([d, a, leaf]) => ['deep', nested(d, a, leaf)] as [string, unknown]),
    weight: 1,
  },
  { arbitrary: pollutionObject.map((v) => ['pollution', v] as [string, unknown]), weight: 2 },
  {
    arbitrary: fc
      .anything({
        maxDepth: 3,
        withNullPrototype: true,
        withBigInt: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withTypedArray: true,
        withSparseArray: true,
        withBoxedValues: true,
        withObjectString: true,
      })
      .map((v) => ['anything', v] as [string, unknown]),
    weight: 4,
  },
  { arbitrary: fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 5 }).map((v) => ['array', v] as [string, unknown]), weight: 1 },
  {
    arbitrary: fc
      .dictionary(fc.string({ maxLength: 12 }), fc.anything({ maxDepth: 2 }), { maxKeys: 5 })
      .map((v) => ['dictionary', v] as [string, unknown]),
    weight: 2,
  },
)
const nastyValue = taggedNasty.map(([, v]) => v)

const extraKey = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'then', 'toJSON', 'valueOf', 'hasOwnProperty'))

type Mutation = 'drop' | 'wrongType' | 'extra' | 'pollute' | 'arrayify' | 'deepen' | 'huge' | 'nullify'
const MUTATIONS: Mutation[] = ['drop', 'wrongType', 'extra', 'pollute', 'arrayify', 'deepen', 'huge', 'nullify']

/** The objects inside a value, the value itself first: where a mutation can land. */
function objectsIn(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (typeof value === 'object' && value !== null) {
    if (!Array.isArray(value)) out.push(value as Record<string, unknown>)
    for (const child of Object.values(value)) objectsIn(child, out)
  }
  return out
}

function mutate(example: unknown, op: Mutation, at: number, nasty: unknown, key: string, pollution: unknown, pollutionKey: string): unknown {
  const clone: unknown = structuredClone(example)
  const nodes = objectsIn(clone)
  const node = nodes[at % Math.max(nodes.length, 1)]
  if (node === undefined) return op === 'arrayify' ? [clone] : nasty
  const keys = Object.keys(node)
  const existing = keys.length > 0 ? (keys[at % keys.length] as string) : key
  switch (op) {
    case 'drop':
      if (keys.length === 0) node[key] = nasty
      else delete node[existing]
      break
    case 'wrongType':
      node[existing] = nasty
      break
    case 'extra':
      // defineProperty, not assignment: `node.__proto__ = x` would change the prototype instead of adding a key.
      Object.defineProperty(node, key, { value: nasty, enumerable: true, writable: true, configurable: true })
      break
    case 'pollute':
      node[PLACEHOLDER] = pollution
      return JSON.parse(JSON.stringify(clone).replace(JSON.stringify(PLACEHOLDER), JSON.stringify(pollutionKey)))
    case 'arrayify':
      if (node === clone) return [clone]
      node[existing] = [node[existing]]
      break
    case 'deepen':
      node[existing] = nested(200 + (at % 4000), at % 2 === 0, node[existing] ?? null)
      break
    case 'huge':
      node[existing] = HUGE_STRINGS[at % HUGE_STRINGS.length]
      break
    case 'nullify':
      if (node === clone) return at % 2 === 0 ? null : undefined
      node[existing] = at % 2 === 0 ? null : undefined
      break
  }
  return clone
}

/** Candidates tagged with how they were made: `whole:<kind>`, `arrayOf`, or `mutation:<op>`. */
function malformedCandidates(examples: unknown[]): fc.Arbitrary<[string, unknown]> {
  const mutation = fc
    .tuple(fc.constantFrom(...examples), fc.constantFrom(...MUTATIONS), fc.nat(), nastyValue, extraKey, jsonValue, fc.constantFrom(...POLLUTION_KEYS))
    .map(([example, op, at, nasty, key, pollution, pk]): [string, unknown] => [`mutation:${op}`, mutate(example, op, at, nasty, key, pollution, pk)])
  return fc.oneof(
    { arbitrary: taggedNasty.map(([kind, v]): [string, unknown] => [`whole:${kind}`, v]), weight: 3 },
    { arbitrary: fc.array(nastyValue, { maxLength: 4 }).map((v): [string, unknown] => ['arrayOf', v]), weight: 1 },
    { arbitrary: mutation, weight: 6 },
  )
}

// ---------------------------------------------------------------------------------------

const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort()
function assertPrototypeClean(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys)
  const probe: Record<string, unknown> = {}
  expect(probe.polluted).toBeUndefined()
  expect(probe.isAdmin).toBeUndefined()
  expect(typeof probe.toString).toBe('function')
}

const PLAIN_PROTOTYPES = new Set<unknown>([null, Object.prototype, Array.prototype, Date.prototype, Map.prototype, Set.prototype, Uint8Array.prototype])

/** No own `__proto__` key (Object.assign would turn it into a prototype) and no foreign prototype, anywhere in `value`. */
function expectNoPollution(value: unknown, path = 'input'): void {
  if (typeof value !== 'object' || value === null) return
  expect(PLAIN_PROTOTYPES.has(Object.getPrototypeOf(value)), `${path} has a foreign prototype`).toBe(true)
  expect(Object.hasOwn(value, '__proto__'), `${path} has an own __proto__ key`).toBe(false)
  for (const [key, child] of Object.entries(value)) expectNoPollution(child, `${path}.${key}`)
}

function expectRefused(result: CallResult<unknown>): void {
  expect(result.ok).toBe(false)
  if (result.ok) return
  expect(result.error.code).toBe('INVALID_INPUT')
  // The reply names paths, never the values received: a megabyte in must not come back out.
  expect(JSON.stringify(result.error).length).toBeLessThan(16 * 1024)
}

const malformedCount = new Map<string, number>()
/** How many refused payloads of each kind were tried, over all calls. */
const kinds = new Map<string, number>()

beforeEach(() => {
  ran.length = 0
})

afterAll(() => {
  assertPrototypeClean()
})

describe('contract property: every call refuses malformed payloads before its handler runs', () => {
  it('has calls to test', () => {
    expect(names.length).toBeGreaterThan(0)
    for (const name of Object.keys(VALID_EXAMPLES)) expect(names, `stale example for ${name}`).toContain(name)
  })

  it.each(names)('%s: a valid example reaches the handler (the spy can see a run)', async (name) => {
    const examples = validExamples(name)
    expect(examples.length, `no valid example for ${name}: add one to VALID_EXAMPLES`).toBeGreaterThan(0)
    for (const example of examples) {
      ran.length = 0
      await dispatch(name, example, ctx)
      expect(ran).toEqual([{ name, input: specOf(name).input.parse(example) }])
    }
  })

  it.each(names)(`%s: ${RUNS_PER_CALL} malformed payloads get INVALID_INPUT and run no handler`, async (name) => {
    const spec = specOf(name)
    const examples = validExamples(name)
    expect(examples.length).toBeGreaterThan(0)
    let count = 0
    await fc.assert(
      fc.asyncProperty(malformedCandidates(examples), async ([kind, payload]) => {
        fc.pre(!spec.input.safeParse(payload).success)
        count++
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1)
        ran.length = 0
        logged.length = 0
        expectRefused(await dispatch(name, payload, ctx))
        expect(ran).toEqual([])
        // A refusal is not an incident: nothing reaches the error log.
        expect(logged).toEqual([])
        assertPrototypeClean()
      }),
      { numRuns: RUNS_PER_CALL, maxSkipsPerRun: 100 },
    )
    malformedCount.set(name, count)
    expect(count).toBeGreaterThanOrEqual(RUNS_PER_CALL)
  })

  it.each(names)('%s: a polluted payload the schema accepts reaches the handler without the pollution', async (name) => {
    const spec = specOf(name)
    const examples = validExamples(name)
    const polluted = fc
      .tuple(fc.constantFrom(...examples), fc.nat(), jsonValue, fc.constantFrom(...POLLUTION_KEYS))
      .map(([example, at, value, key]) => mutate(example, 'pollute', at, null, key, value, key))
    await fc.assert(
      fc.asyncProperty(polluted, async (payload) => {
        // Refused ones are the property above; here: what a non-strict schema lets through.
        if (!spec.input.safeParse(payload).success) return
        ran.length = 0
        await dispatch(name, payload, ctx)
        expect(ran).toHaveLength(1)
        expectNoPollution(ran[0]?.input)
        assertPrototypeClean()
      }),
      { numRuns: 100 },
    )
  })

  it(`tried at least ${TOTAL_RUNS} malformed payloads in all`, () => {
    const total = [...malformedCount.values()].reduce((a, b) => a + b, 0)
    expect(malformedCount.size).toBe(names.length)
    expect(total).toBeGreaterThanOrEqual(TOTAL_RUNS)
    // Every kind of nastiness was among the refused payloads, not just generated and filtered out.
    const expected = [
      ...['scalar', 'huge', 'deep', 'pollution', 'anything', 'array', 'dictionary'].map((k) => `whole:${k}`),
      'arrayOf',
      ...MUTATIONS.map((op) => `mutation:${op}`),
    ]
    for (const kind of expected) expect(kinds.get(kind) ?? 0, kind).toBeGreaterThanOrEqual(20)
  })

  it('refuses unknown and inherited call names, whatever the payload', async () => {
    const inherited = [
      '__proto__', 'hasOwnProperty', 'constructor', 'toString', 'valueOf', 'isPrototypeOf',
      'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupGetter__',
    ]
    const anyExample = names.flatMap((n) => validExamples(n))
    const name = fc.oneof(
      fc.constantFrom<unknown>(...inherited),
      fc.string({ maxLength: 40 }).filter((s) => !Object.hasOwn(calls, s)),
      fc.constantFrom<unknown>(null, undefined, 42, NaN, {}, [], ['app.info'], Symbol('x'), new String('app.info')),
    )
    await fc.assert(
      fc.asyncProperty(name, fc.oneof(fc.constantFrom(...anyExample), nastyValue), async (callName, payload) => {
        ran.length = 0
        const result = await dispatch(callName, payload, ctx)
        expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'Unknown call.' } })
        expect(ran).toEqual([])
      }),
      { numRuns: 500 },
    )
    for (const callName of inherited) {
      expect(await dispatch(callName, {}, ctx)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    }
    expect(ran).toEqual([])
    assertPrototypeClean()
  })
})
