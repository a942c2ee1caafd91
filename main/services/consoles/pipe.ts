import type net from 'node:net'
import type { WebSocket } from 'ws'

/** How one end of a console connection ended. */
export interface EndClosed {
  /** True when the end closed in an orderly way (TCP FIN, WebSocket close frame). */
  clean: boolean
  /** What happened, in words a console tab can show. */
  reason: string
}

/** One end of a console connection as the pipe drives it: bytes in, bytes out, flow control. */
export interface ConsoleEnd {
  /** Queues bytes; `written` runs once they have left our buffers. */
  send(data: Buffer, written: () => void): void
  /** Bytes queued but not yet handed to the operating system. */
  buffered(): number
  /** Stops reading from the peer (the kernel's window then slows the sender). */
  pause(): void
  resume(): void
  onData(fn: (data: Buffer) => void): void
  onClose(fn: (closed: EndClosed) => void): void
  close(reason: string, error?: boolean): void
}

/** A WebSocket as a ConsoleEnd; text frames are passed on as their UTF-8 bytes. */
export function webSocketEnd(ws: WebSocket): ConsoleEnd {
  return {
    send: (data, written) => ws.send(data, { binary: true }, () => written()),
    buffered: () => ws.bufferedAmount,
    pause: () => ws.pause(),
    resume: () => ws.resume(),
    onData: (fn) =>
      ws.on('message', (data) => {
        fn(Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data))
      }),
    onClose: (fn) => {
      let error: Error | undefined
      ws.on('error', (err) => {
        error = err
      })
      ws.on('close', (code, reason) => {
        const text = reason.toString('utf8')
        if (error) fn({ clean: false, reason: error.message })
        else fn({ clean: code === 1000 || code === 1001, reason: text || `closed (${code})` })
      })
    },
    close: (reason, error) => {
      // Close reasons are limited to 123 bytes by RFC 6455.
      const text = Buffer.from(reason, 'utf8').subarray(0, 123).toString('utf8').replace(/\uFFFD$/, '')
      // A paused socket would never read the peer's answering close frame.
      ws.resume()
      if (ws.readyState === ws.OPEN) ws.close(error ? 1011 : 1000, text)
      else if (ws.readyState === ws.CONNECTING) ws.terminate()
    },
  }
}

/** A TCP socket as a ConsoleEnd. */
export function tcpEnd(socket: net.Socket): ConsoleEnd {
  return {
    send: (data, written) => {
      socket.write(data, () => written())
    },
    buffered: () => socket.writableLength,
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    onData: (fn) => socket.on('data', fn),
    onClose: (fn) => {
      let error: Error | undefined
      socket.on('error', (err) => {
        error = err
      })
      socket.on('close', () => fn(error ? { clean: false, reason: error.message } : { clean: true, reason: 'connection closed' }))
    },
    close: () => {
      socket.destroy()
    },
  }
}

export interface PipeOptions {
  /** Stop reading a side once this many bytes wait to be written to the other. */
  highWaterMark: number
  /** Read again once the backlog is down to this. */
  lowWaterMark: number
  onBytes?: (direction: 'aToB' | 'bToA', bytes: number) => void
  /** Called once, when the first side closes; both are closed by then. */
  onClosed?: (side: 'a' | 'b', closed: EndClosed) => void
  /** How the other side's close reason is worded, e.g. "the console closed: …". */
  describe?: (side: 'a' | 'b', closed: EndClosed) => string
}

/**
 * Pipes bytes both ways between two ends with backpressure: when one end's outgoing
 * backlog passes the high-water mark, the other end is paused, so a slow reader slows its
 * source instead of growing our buffers. When either end closes, the other is closed with
 * a reason.
 */
export function pipeEnds(a: ConsoleEnd, b: ConsoleEnd, options: PipeOptions): void {
  let done = false
  const flow = (from: ConsoleEnd, to: ConsoleEnd, direction: 'aToB' | 'bToA'): void => {
    let paused = false
    const written = (): void => {
      if (paused && to.buffered() <= options.lowWaterMark) {
        paused = false
        from.resume()
      }
    }
    from.onData((data) => {
      if (done) return
      options.onBytes?.(direction, data.length)
      to.send(data, written)
      if (!paused && to.buffered() > options.highWaterMark) {
        paused = true
        from.pause()
      }
    })
  }
  flow(a, b, 'aToB')
  flow(b, a, 'bToA')
  const closeOther = (side: 'a' | 'b', closed: EndClosed): void => {
    if (done) return
    done = true
    const other = side === 'a' ? b : a
    other.close(options.describe?.(side, closed) ?? closed.reason, !closed.clean)
    options.onClosed?.(side, closed)
  }
  a.onClose((closed) => closeOther('a', closed))
  b.onClose((closed) => closeOther('b', closed))
}
