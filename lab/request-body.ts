import type { IncomingMessage } from 'node:http'

/**
 * The whole request body as UTF-8. Past `maxBytes` the request is dropped and the promise
 * rejects with the lab's own "too large" error, so each lab answers in its API's error shape.
 */
export function readBody(req: IncomingMessage, maxBytes: number, tooLarge: () => unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > maxBytes) {
        reject(tooLarge())
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}
