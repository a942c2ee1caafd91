import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{contract,main,preload,lab,scripts,bench,renderer}/**/*.test.{ts,tsx}', 'test/integration/**/*.test.ts'],
    exclude: ['node_modules/**', 'out/**', 'test/e2e/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // electron-store is ESM and imports electron at load; inlining lets vi.mock('electron') reach it.
    server: { deps: { inline: ['electron-store'] } },
  },
})
