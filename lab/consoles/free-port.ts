import net from 'node:net'

/** Whether nothing listens on 127.0.0.1:port right now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

/**
 * A port in [min, max) that was free when we looked. Someone may take it before we
 * use it: callers that start a server on it retry with another port when the bind fails.
 */
export async function freePort(min = 20_000, max = 60_000): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = min + Math.floor(Math.random() * (max - min))
    if (await portIsFree(port)) return port
  }
  throw new Error(`no free port found in [${min}, ${max})`)
}
