import { redactor as sharedRedactor, type Redactor } from './redact'

/** The logger every service takes. Output passes through the redactor before it is written anywhere. */
export interface Log {
  debug(message: string, meta?: Record<string, unknown>): void
  info(message: string, meta?: Record<string, unknown>): void
  warn(message: string, meta?: Record<string, unknown>): void
  error(message: string, meta?: Record<string, unknown>): void
}

type Level = keyof Log
export type LogSink = (level: Level, message: string, meta?: Record<string, unknown>) => void

/**
 * A Log over a sink that only ever sees redacted text and meta. A redactor that throws drops the
 * line's content rather than the line: a log call never throws and never writes unredacted.
 */
export function logFromSink(sink: LogSink, redactor: Redactor = sharedRedactor): Log {
  const write = (level: Level, message: string, meta?: Record<string, unknown>): void => {
    let safeMessage: string
    let safeMeta: Record<string, unknown> | undefined
    try {
      safeMessage = redactor.text(message)
      safeMeta = meta === undefined ? undefined : (redactor.value(meta) as Record<string, unknown>)
    } catch {
      safeMessage = '[log line withheld: redaction failed]'
      safeMeta = undefined
    }
    if (safeMeta === undefined) sink(level, safeMessage)
    else sink(level, safeMessage, safeMeta)
  }
  return {
    debug: (m, meta) => write('debug', m, meta),
    info: (m, meta) => write('info', m, meta),
    warn: (m, meta) => write('warn', m, meta),
    error: (m, meta) => write('error', m, meta),
  }
}

/** A log that keeps its (redacted) lines in memory: for tests. */
export function memoryLog(redactor?: Redactor): Log & { lines: string[] } {
  const lines: string[] = []
  const log = logFromSink((level, message, meta) => {
    lines.push(`${level} ${message}${meta ? ' ' + JSON.stringify(meta) : ''}`)
  }, redactor)
  return Object.assign(log, { lines })
}
