/** `NAME=value` lines (blank lines ignored) as an environment; undefined when there are none. */
export function parseEnvironment(text: string): { environment: Record<string, string> | undefined } | { error: string } {
  const environment: Record<string, string> = {}
  let count = 0
  for (const [n, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim()
    if (line === '') continue
    const eq = line.indexOf('=')
    if (eq <= 0) return { error: `Line ${n + 1} of the environment is not NAME=value.` }
    const name = line.slice(0, eq).trim()
    if (/\s/.test(name)) return { error: `Line ${n + 1}: a variable name has no spaces.` }
    if (!Object.hasOwn(environment, name)) count++
    environment[name] = line.slice(eq + 1)
  }
  return { environment: count > 0 ? environment : undefined }
}
