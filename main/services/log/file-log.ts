import path from 'node:path'
import electronLog from 'electron-log/node'
import { logFromSink, type Log } from './log'
import { redactor as sharedRedactor, type Redactor } from './redact'

/**
 * electron-log's Node flavour (it loads in plain Node and in Electron's main alike), writing
 * to `<dir>/main.log` and the console. Every line is redacted twice over: by `logFromSink` before
 * electron-log sees it, and by a hook on this logger, so nothing written to the logger by other
 * paths (electron-log's own messages) reaches the file or the console unredacted either.
 */
export function createFileLog(dir: string, options: { console?: boolean; redactor?: Redactor } = {}): Log {
  const redactor = options.redactor ?? sharedRedactor
  const logger = electronLog.create({ logId: `porthole-${dir}` })
  logger.transports.file.resolvePathFn = () => path.join(dir, 'main.log')
  logger.transports.file.level = 'info'
  logger.transports.console.level = options.console === false ? false : 'warn'
  logger.hooks.push((message) => {
    try {
      return { ...message, data: message.data.map((item: unknown) => (typeof item === 'string' ? redactor.text(item) : redactor.value(item))) }
    } catch {
      return false
    }
  })
  return logFromSink((level, message, meta) => {
    if (meta === undefined) logger[level](message)
    else logger[level](message, meta)
  }, redactor)
}
