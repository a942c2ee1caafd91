// List filters in both query styles (reference §0 and "Read this first" 15, 17): /api takes
// repeated plain keys (`names=a&names=b`); /rest takes `filter.names=a` or the indexed
// `filter.names.1=a`. Unknown keys are refused with 400 rather than silently ignored, since an
// ignored filter returns wrong, unfiltered results.
import { message, VapiError, type Style } from './wire'

export type FilterSpec = Record<string, { values?: readonly string[]; boolean?: true }>

export function invalidArgument(text: string, ...args: string[]): VapiError {
  return new VapiError('INVALID_ARGUMENT', [message('vapi.bindings.method.invalid.argument', text, ...args)])
}

/** Filter values by name; an absent filter is absent from the result. */
export function readFilters(query: URLSearchParams, style: Style, spec: FilterSpec): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const [rawKey, value] of query) {
    let key = rawKey
    if (style === 'rest') {
      const m = /^filter\.([a-z_]+)(?:\.\d+)?$/.exec(rawKey)
      if (!m) throw invalidArgument(`Unexpected query parameter '${rawKey}'.`, rawKey)
      key = m[1] as string
    }
    const rule = spec[key]
    if (!rule) throw invalidArgument(`Unexpected query parameter '${rawKey}'.`, rawKey)
    if (rule.values && !rule.values.includes(value)) {
      throw invalidArgument(`Invalid value '${value}' for '${key}'.`, key, value)
    }
    if (rule.boolean && value !== 'true' && value !== 'false') {
      throw invalidArgument(`Invalid boolean '${value}' for '${key}'.`, key, value)
    }
    const list = out.get(key)
    if (list) list.push(value)
    else out.set(key, [value])
  }
  return out
}

/** Matches one object against the filters: filters AND together, values within one filter OR. */
export function matches(filters: Map<string, string[]>, fields: Record<string, string | undefined>): boolean {
  for (const [key, values] of filters) {
    const field = fields[key]
    if (field === undefined || !values.includes(field)) return false
  }
  return true
}
