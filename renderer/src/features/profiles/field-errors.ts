import { isPortholeError } from '../../../../contract/errors'

/** Error messages per form field ("name", "endpoint", …); `form` holds what belongs to no field. */
export interface FieldErrors {
  fields: Record<string, string>
  form?: string
}

interface Issue {
  path: string
  message: string
}

/** The contract's wording made readable in a form (zod's defaults speak to programmers). */
export function friendlyMessage(field: string, message: string): string {
  if (/expected string to have >=1 characters|Required|expected string, received undefined/i.test(message)) return 'Required.'
  if (/Invalid URL/i.test(message)) return 'Enter an address such as https://vcenter.example.com (http or https, no user name).'
  if (/expected number/i.test(message) && field === 'port') return 'Enter a port number from 1 to 65535.'
  if (/Too (small|big)/i.test(message) && field === 'port') return 'Enter a port number from 1 to 65535.'
  if (/Too big: expected string to have <=(\d+)/i.test(message)) return message.replace(/.*<=(\d+).*/i, 'At most $1 characters.')
  if (/Invalid option/i.test(message)) return 'Choose one of the options.'
  return message
}

/**
 * Maps issue paths to form fields: `patch.name` (profiles.update) and `name` (profiles.add)
 * are both the name field; `trust.caFile` is the CA file field.
 */
export function fieldOfPath(path: string): string {
  const parts = path.split('.').filter((p) => p !== 'patch')
  if (parts[0] === 'trust') return parts[1] === 'caFile' ? 'caFile' : 'trust'
  if (parts[0] === 'clearSecret') return 'secret'
  return parts[0] ?? ''
}

function issuesIn(detail: unknown): Issue[] {
  const raw = (detail as { issues?: unknown } | undefined)?.issues
  if (!Array.isArray(raw)) return []
  return raw.filter((i): i is Issue => typeof i === 'object' && i !== null && typeof i.path === 'string' && typeof i.message === 'string')
}

/** Field errors from zod-shaped issues (the form's own check, or INVALID_INPUT's detail). Known fields only; the rest go to `form`. */
export function errorsFromIssues(issues: readonly Issue[], knownFields: ReadonlySet<string>): FieldErrors {
  const fields: Record<string, string> = {}
  const other: string[] = []
  for (const issue of issues) {
    const field = fieldOfPath(issue.path)
    if (knownFields.has(field)) fields[field] ??= friendlyMessage(field, issue.message)
    else other.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message)
  }
  return other.length > 0 ? { fields, form: other.join(' ') } : { fields }
}

/**
 * What a failed profiles.add / update means for the form: INVALID_INPUT issues on their fields,
 * CONFLICT on the name (or the field main names), anything else as one line over the form.
 */
export function errorsFromFailure(err: unknown, knownFields: ReadonlySet<string>): FieldErrors {
  if (!isPortholeError(err)) return { fields: {}, form: err instanceof Error ? err.message : String(err) }
  if (err.code === 'INVALID_INPUT') {
    const issues = issuesIn(err.detail)
    if (issues.length > 0) return errorsFromIssues(issues, knownFields)
    return { fields: {}, form: err.message }
  }
  if (err.code === 'CONFLICT') {
    const named = err.detail?.['field']
    const field = typeof named === 'string' && knownFields.has(named) ? named : 'name'
    return { fields: { [field]: err.message } }
  }
  return { fields: {}, form: `${err.message} (${err.code})` }
}
