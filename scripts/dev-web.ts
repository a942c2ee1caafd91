// `npm run dev:web`: the same renderer and the same host services as the app, in a browser on loopback.
import { execFileSync } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { startWebHost } from '../main/web-host'
import pkg from '../package.json'

const root = path.resolve(__dirname, '..')
const args = new Set(process.argv.slice(2))
if (!args.has('--no-build')) {
  execFileSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
}
async function main(): Promise<void> {
const dataDir = process.env.PORTHOLE_DATA_DIR ?? path.join(os.homedir(), '.config', 'Porthole-web')
const port = Number(process.env.PORTHOLE_WEB_PORT ?? 0)
const web = await startWebHost({ rendererDir: path.join(root, 'out/renderer'), dataDir, port, version: pkg.version })
console.log(`Porthole (browser harness) — open this URL; it carries a one-session token, keep it private:\n${web.url}`)
const stop = (): void => void web.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
}

void main()
