import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'

const root = import.meta.dirname

/**
 * Vite's dev server injects CSS as inline <style> tags, which the production CSP
 * (`style-src 'self'`) refuses; only `npm run dev` gets 'unsafe-inline' for styles.
 * Builds keep the strict policy.
 */
function devServerStyles(): Plugin {
  return {
    name: 'porthole-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  }
}

export default defineConfig({
  main: {
    build: {
      rollupOptions: { input: { index: resolve(root, 'main/index.ts') } },
    },
  },
  preload: {
    build: {
      rollupOptions: { input: { index: resolve(root, 'preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    // noVNC 1.7 uses top-level await.
    build: {
      target: 'esnext',
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
    plugins: [react(), devServerStyles()],
  },
})
