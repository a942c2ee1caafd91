import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { inspect } from 'node:util'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFileLog } from './file-log'
import { memoryLog } from './log'
import { createRedactor, redactor } from './redact'

// electron-log's console transport keeps the console functions it saw when it loaded, so they are
// replaced before any import runs.
const consoleCalls = vi.hoisted(() => {
  const calls: unknown[][] = []
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    console[method] = (...args: unknown[]) => {
      calls.push(args)
    }
  }
  return calls
})

const CANARY_TOKEN = 'CANARYtok3n-7f1d2c'
const CANARY_PASSWORD = 'canary pass "word" 9!'

/** One line per form in which a provider, a relay or a download could log a credential. */
function logEverything(log: ReturnType<typeof memoryLog> | ReturnType<typeof createFileLog>): void {
  log.warn(`GET https://esx:443/guestFile?id=1&token=${CANARY_TOKEN} failed`, { status: 500 })
  log.warn('login', { url: 'https://vc/api/session', headers: { Authorization: `Basic ${CANARY_TOKEN}` } })
  log.error(`relay upstream wss://esx:443/ticket/${CANARY_TOKEN} closed`)
  log.error('keystone said', { body: `{"token":"${CANARY_TOKEN}"}`, error: new Error(`X-Subject-Token: ${CANARY_TOKEN}`) })
  log.warn(`user typed ${CANARY_PASSWORD}`, { echo: { deep: [CANARY_PASSWORD] } })
}

const dirs: string[] = []
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

describe('every log line passes through the redactor', () => {
  it('file and console output of the file log', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'porthole-log-'))
    dirs.push(dir)
    consoleCalls.length = 0
    const r = createRedactor()
    r.addSecret(CANARY_PASSWORD)
    const log = createFileLog(dir, { redactor: r })
    logEverything(log)

    const file = path.join(dir, 'main.log')
    const deadline = Date.now() + 5_000
    let text = ''
    while (!text.includes('user typed')) {
      if (Date.now() > deadline) throw new Error(`main.log never got the last line: ${text}`)
      text = await readFile(file, 'utf8').catch(() => '')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(text).toContain('token=***')
    expect(text).toContain('/ticket/***')
    const printed = consoleCalls.map((args) => args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 10 }))).join(' '))
    for (const out of [text, printed.join('\n')]) {
      expect(out).not.toContain(CANARY_TOKEN)
      expect(out).not.toContain('canary pass')
    }
    // The console really printed those lines (level warn and up), so the check above means something.
    expect(printed.join('\n')).toContain('relay upstream wss://esx:443/ticket/***')
  })

  it('memoryLog, with the shared redactor and its registered secrets', () => {
    const log = memoryLog()
    const unregister = redactor.addSecret(CANARY_PASSWORD)
    try {
      logEverything(log)
    } finally {
      unregister()
    }
    const all = log.lines.join('\n')
    expect(log.lines).toHaveLength(5)
    expect(all).not.toContain(CANARY_TOKEN)
    expect(all).not.toContain('canary pass')
    expect(all).toContain('"Authorization":"***"')
  })

  it('never throws from a log call, even when redaction fails', () => {
    const log = memoryLog({ ...createRedactor(), value: () => { throw new Error('boom') } })
    expect(() => log.info(`token=${CANARY_TOKEN}`, { a: 1 })).not.toThrow()
    expect(log.lines).toEqual(['info [log line withheld: redaction failed]'])
  })
})
