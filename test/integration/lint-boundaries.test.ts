// The import boundaries between processes (eslint.config.mjs) checked on virtual files:
// lintText with a filePath, so no violating file ever sits in the tree.
import path from 'node:path'
import { ESLint, type Linter } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(__dirname, '../..')
let eslint: ESLint

beforeAll(() => {
  eslint = new ESLint({ cwd: root })
})

async function lint(file: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) })
  if (!result) throw new Error('no lint result')
  // A parse error or an ignored file would make every assertion below meaningless.
  expect(result.messages.filter((m) => m.fatal || m.ruleId === null)).toEqual([])
  return result.messages
}

type BoundaryRule = 'no-restricted-imports' | 'no-restricted-syntax' | '@typescript-eslint/no-require-imports'

async function expectRefused(file: string, code: string, ruleId: BoundaryRule): Promise<void> {
  const messages = await lint(file, code)
  const hits = messages.filter((m) => m.ruleId === ruleId && m.severity === 2)
  expect(hits.length, `${file}: ${code}\n${JSON.stringify(messages)}`).toBeGreaterThan(0)
}

async function expectAllowed(file: string, code: string): Promise<void> {
  const messages = await lint(file, code)
  expect(
    messages.filter((m) => m.severity === 2),
    `${file}: ${code}`,
  ).toEqual([])
}

const RENDERER = 'renderer/src/features/fixture/fixture.ts'
const RENDERER_TSX = 'renderer/src/features/fixture/Fixture.tsx'
const SERVICE = 'main/services/fixture/fixture.ts'
const PRELOAD = 'preload/fixture.ts'

/** One import of `spec`, used, so no other rule has anything to say. */
const importOf = (spec: string): string => `import * as m from '${spec}'\nexport const used = m\n`
const dynamicImportOf = (spec: string): string => `export const load = () => import('${spec}')\n`

describe('import boundaries', () => {
  describe('renderer imports only contract/ and itself', () => {
    it.each([
      '../../main/host',
      '../../../../main/host',
      '../../../../main/services/log/log',
      '../../../../preload/index',
      'fs',
      'node:fs',
      'node:fs/promises',
      'child_process',
      // Built-ins a hand-written list once missed, and those that exist only as `node:`.
      'http2',
      'node:v8',
      'perf_hooks',
      'node:sqlite',
      'node:test',
      'electron',
      'electron/renderer',
      // npm packages that run only in Node.
      'ws',
      'undici',
      '@node-rs/argon2',
      'electron-store',
      'electron-log',
      'electron-log/renderer',
      'selfsigned',
    ])('refuses %s', async (spec) => {
      await expectRefused(RENDERER, importOf(spec), 'no-restricted-imports')
    })

    it('refuses a type-only import, a re-export and a path that detours through contract/', async () => {
      await expectRefused(RENDERER, "import type { Host } from '../../../../main/host'\nexport type H = Host\n", 'no-restricted-imports')
      await expectRefused(RENDERER, "export * from '../../../../main/host'\n", 'no-restricted-imports')
      await expectRefused(RENDERER, importOf('../../../../contract/../main/host'), 'no-restricted-imports')
    })

    it('refuses require(), which neither import rule sees', async () => {
      await expectRefused(RENDERER, "const fs = require('fs')\nexport const used = fs\n", '@typescript-eslint/no-require-imports')
    })

    it('refuses Node modules in a .tsx file too', async () => {
      await expectRefused(RENDERER_TSX, importOf('node:fs'), 'no-restricted-imports')
    })

    it.each(['fs', 'node:fs', '../../../../main/host'])('refuses a dynamic import(%s)', async (spec) => {
      await expectRefused(RENDERER, dynamicImportOf(spec), 'no-restricted-syntax')
    })

    it.each(['../../contract/index', '../../../../contract/index', '../../app/App', 'react', 'zustand', '@xterm/xterm', '@novnc/novnc/lib/rfb'])('allows %s', async (spec) => {
      await expectAllowed(RENDERER, importOf(spec))
    })
  })

  describe('main/services is pure Node', () => {
    it.each(['electron', 'electron-store', 'electron-log/main', '../../electron/window'])('refuses %s', async (spec) => {
      await expectRefused(SERVICE, importOf(spec), 'no-restricted-imports')
    })

    it('refuses a dynamic import', async () => {
      await expectRefused(SERVICE, dynamicImportOf('electron'), 'no-restricted-syntax')
    })

    it.each(['node:fs', 'fs', 'electron-log/node', '../../../contract/index', '../log/log'])('allows %s', async (spec) => {
      await expectAllowed(SERVICE, importOf(spec))
    })
  })

  describe('preload imports only contract/ and electron', () => {
    it.each(['../main/host', '../main/services/log/log', '../renderer/src/api', 'node:fs', 'fs', 'child_process', 'node:v8', 'ws', 'electron-store'])('refuses %s', async (spec) => {
      await expectRefused(PRELOAD, importOf(spec), 'no-restricted-imports')
    })

    it('refuses a dynamic import', async () => {
      await expectRefused(PRELOAD, dynamicImportOf('node:fs'), 'no-restricted-syntax')
    })

    it.each(['electron', '../contract/client', '../contract/ipc-channels'])('allows %s', async (spec) => {
      await expectAllowed(PRELOAD, importOf(spec))
    })
  })

  it('leaves main outside services free to use electron and Node', async () => {
    await expectAllowed('main/electron/fixture.ts', importOf('electron'))
    await expectAllowed('main/fixture.ts', importOf('node:fs'))
  })
})
