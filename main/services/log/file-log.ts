import path from 'node:path'
import electronLog from 'electron-log/node'
import { logFromSink, type Log } from './log'

/**
 * electron-log's Node flavour (it loads in plain Node and in Electron's main alike), writing
 * to `<dir>/main.log` and the console.
 */
export function createFileLog(dir: string, options: { console?: boolean } = {}): Log {
  const logger = electronLog.create({ logId: `porthole-${dir}` })
  logger.transports.file.resolvePathFn = () => path.join(dir, 'main.log')
  logger.transports.file.level = 'info'
  logger.transports.console.level = options.console === false ? false : 'warn'
  return logFromSink((level, message, meta) => {
    if (meta === undefined) logger[level](message)
    else logger[level](message, meta)
  })
}
