/** The logger every service takes. Output passes through the redactor before it is written anywhere. */
export interface Log {
  debug(message: string, meta?: Record<string, unknown>): void
  info(message: string, meta?: Record<string, unknown>): void
  warn(message: string, meta?: Record<string, unknown>): void
  error(message: string, meta?: Record<string, unknown>): void
}

type Level = keyof Log
export type LogSink = (level: Level, message: string, meta?: Record<string, unknown>) => void

export function logFromSink(sink: LogSink): Log {
  return {
    debug: (m, meta) => sink('debug', m, meta),
    info: (m, meta) => sink('info', m, meta),
    warn: (m, meta) => sink('warn', m, meta),
    error: (m, meta) => sink('error', m, meta),
  }
}

/** A log that keeps its lines in memory: for tests. */
export function memoryLog(): Log & { lines: string[] } {
  const lines: string[] = []
  const log = logFromSink((level, message, meta) => {
    lines.push(`${level} ${message}${meta ? ' ' + JSON.stringify(meta) : ''}`)
  })
  return Object.assign(log, { lines })
}
