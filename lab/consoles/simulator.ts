import path from 'node:path'
import type { Simulator } from '../simulator'
import { ConsoleSources } from './console-sources'

/**
 * `npm run lab` entry for console sources: one demo VM with a plain VNC endpoint (QEMU
 * where installed, else the built-in RFB server). The provider labs start their own
 * sources through ConsoleSources.
 */
export const consolesSimulator: Simulator = {
  name: 'consoles',
  async start(options) {
    const sources = new ConsoleSources({ dataDir: path.join(options.dataDir, 'consoles') })
    const demo = await sources.open('demo-vnc', { name: 'demo-vnc' })
    const endpoints: Record<string, string> = {
      vnc: `${demo.host}:${demo.vncPort}`,
      source: demo.kind === 'qemu' ? 'QEMU (TCG, lab boot sector)' : 'built-in RFB test pattern',
    }
    if (demo.serialPort !== undefined) endpoints.serial = `${demo.host}:${demo.serialPort}`
    return { name: 'consoles', endpoints, stop: () => sources.closeAll() }
  },
}
