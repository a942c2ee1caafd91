import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

const root = import.meta.dirname

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
    plugins: [react()],
  },
})
