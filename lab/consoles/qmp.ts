import net from 'node:net'

/**
 * A QEMU Machine Protocol client over a unix socket: line-delimited JSON, one command
 * at a time (QMP answers in order; asynchronous events are skipped).
 */
export class Qmp {
  private buffer = ''
  private pending: Array<{ resolve: (v: unknown) => void; reject: (e: Error) => void }> = []
  private closed: Error | undefined

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8')
    socket.on('data', (text: string) => {
      this.buffer += text
      let nl: number
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl).trim()
        this.buffer = this.buffer.slice(nl + 1)
        if (line) this.onMessage(JSON.parse(line) as Record<string, unknown>)
      }
    })
    const fail = (err?: Error): void => {
      this.closed ??= err ?? new Error('QMP connection closed')
      for (const p of this.pending.splice(0)) p.reject(this.closed)
    }
    socket.on('error', fail)
    socket.on('close', () => fail())
  }

  /** Connects, reads the greeting and enters command mode. */
  static async connect(socketPath: string): Promise<Qmp> {
    const socket = net.connect(socketPath)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve())
      socket.once('error', reject)
    })
    const qmp = new Qmp(socket)
    await qmp.next() // the greeting {"QMP": {...}}
    await qmp.execute('qmp_capabilities')
    return qmp
  }

  /** Runs one command; rejects with QEMU's error description. */
  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    this.socket.write(JSON.stringify(args ? { execute: command, arguments: args } : { execute: command }) + '\n')
    return this.next()
  }

  close(): void {
    this.socket.destroy()
  }

  private next(): Promise<unknown> {
    if (this.closed) return Promise.reject(this.closed)
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }))
  }

  private onMessage(msg: Record<string, unknown>): void {
    if ('event' in msg) return
    const waiter = this.pending.shift()
    if (!waiter) return
    if ('error' in msg) {
      const error = msg.error as { desc?: string }
      waiter.reject(new Error(`QMP: ${error.desc ?? JSON.stringify(msg.error)}`))
    } else waiter.resolve('QMP' in msg ? msg.QMP : msg.return)
  }
}
