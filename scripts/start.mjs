// `npm start` (and `npm run dev` with --dev): run Porthole in Electron.
//
// Plain Node ESM, no tsx: it must work before anything is built. Where the Electron binary is
// missing (installed with ELECTRON_SKIP_BINARY_DOWNLOAD, or npm's blocked install scripts,
// or no network) it says so in one line and points at the browser harness, instead of
// letting `require('electron')` try to download it (node_modules/electron/index.js does that
// when dist/ or path.txt is missing, and can block for as long as the network lets it).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const MISSING_ELECTRON =
  'Porthole: the Electron binary is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD or no network). ' +
  'Run `npm run dev:web` to use Porthole in your browser instead.'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(path.join(root, 'package.json'))

/** The Electron executable, or null when it is not installed. Never downloads. */
function electronBinary() {
  // electron-vite launches ELECTRON_EXEC_PATH when set: honour the same variable.
  const exec = process.env.ELECTRON_EXEC_PATH
  if (exec) return fs.existsSync(exec) ? exec : null

  let pkgDir
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'))
  } catch {
    return null
  }
  if (!process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    // What index.js would look for; if either is missing it would start a download.
    const pathFile = path.join(pkgDir, 'path.txt')
    if (!fs.existsSync(pathFile)) return null
    if (!fs.existsSync(path.join(pkgDir, 'dist', fs.readFileSync(pathFile, 'utf8')))) return null
  }
  try {
    const binary = require('electron')
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null
  } catch {
    return null
  }
}

function main() {
  const binary = electronBinary()
  if (!binary) {
    console.error(MISSING_ELECTRON)
    process.exit(1)
  }
  const dev = process.argv.includes('--dev')
  // `preview` builds first (pass --skip-build to reuse out/); `dev` serves the renderer with HMR.
  const args = dev ? ['dev'] : ['preview', ...(process.argv.includes('--skip-build') ? ['--skipBuild'] : [])]
  const child = spawn(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_EXEC_PATH: binary },
  })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('error', (err) => {
    console.error(`Porthole: could not run electron-vite: ${err.message}`)
    process.exit(1)
  })
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

main()
