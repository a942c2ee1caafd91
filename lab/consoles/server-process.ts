// A lab server run as a child process (QEMU, Xvnc): its stderr kept as its log, and killed when
// the test process exits, which it would otherwise outlive.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process'

export interface ServerProcess {
  child: ChildProcess
  /** Everything it wrote to stderr so far. */
  stderr(): string
  /** Settles when it has exited. */
  exited: Promise<void>
}

const running = new Set<ChildProcess>()
process.once('exit', () => {
  // kill() is synchronous enough for 'exit'.
  for (const child of running) child.kill('SIGKILL')
})

/** Spawns `binary`; `stdio` must pipe stderr (index 2). */
export function spawnServer(binary: string, args: readonly string[], stdio: StdioOptions): ServerProcess {
  const child = spawn(binary, args, { stdio })
  running.add(child)
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (text: string) => {
    stderr += text
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  void exited.then(() => running.delete(child))
  return { child, stderr: () => stderr, exited }
}
