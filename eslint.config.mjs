// Lint rules, including the import boundaries between processes (DESIGN.md, "Layout").
// Each boundary block owns a disjoint set of files: a later flat-config object that sets
// the same rule replaces an earlier one, so globs must not overlap.
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// Every built-in, from Node itself (a hand-written list let http2, v8, perf_hooks… through), and anything `node:`.
// Anchored with '/': a bare 'tls' or 'events' pattern (gitignore syntax) would also match any path segment,
// refusing the renderer's own '../features/tls/…' and '../../contract/tls'.
const nodeBuiltinPatterns = [...builtinModules.flatMap((m) => [`/${m}`, `/${m}/*`]), 'node:*', 'node:*/**']
/** npm packages that only run in Node: a sandboxed page or preload cannot load them. */
const nodeOnlyPackages = ['ws', 'undici', '@node-rs/*', 'electron-store', 'electron-log', 'electron-log/*', 'selfsigned']

/** Forbids dynamic import(), which no-restricted-imports does not see. */
const noDynamicImport = {
  selector: 'ImportExpression',
  message: 'Dynamic import() is not allowed here: it would slip past the import boundaries.',
}

export const boundaries = [
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/main', '**/main/**', '**/preload', '**/preload/**', '**/lab/**', '**/scripts/**', '**/bench/**', '**/test/**'],
              message: 'The renderer imports only contract/ and its own code.',
            },
            { group: ['electron', 'electron/*', ...nodeBuiltinPatterns, ...nodeOnlyPackages], message: 'The renderer is a sandboxed web page: no Node or Electron modules.' },
          ],
        },
      ],
      'no-restricted-syntax': ['error', noDynamicImport],
    },
  },
  {
    files: ['main/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*', 'electron-store', 'electron-log/main', 'electron-log/renderer'], message: 'main/services/ is pure Node: Electron stays in main/electron/.' },
            { group: ['**/renderer/**', '**/preload/**', '**/electron/**'], message: 'Services do not reach into the glue or the UI.' },
          ],
        },
      ],
      'no-restricted-syntax': ['error', noDynamicImport],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/main/**', '**/renderer/**', '**/lab/**'], message: 'The preload imports only contract/ and electron.' },
            { group: [...nodeBuiltinPatterns, ...nodeOnlyPackages], message: 'The preload is sandboxed: no Node modules.' },
          ],
        },
      ],
      'no-restricted-syntax': ['error', noDynamicImport],
    },
  },
]

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'reports/**', 'test-results/**', '.tsbuild/**', '.lab-data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  ...boundaries,
)
