// A plain VNC host as a provider: a one-VM inventory (the profile itself) whose console is raw
// TCP to host:port. The relay connects there and answers VNC Authentication with the profile's
// password, so neither the address's secret nor the password ever reaches the renderer.
import net from 'node:net'
import { PortholeError } from '../../../../contract/errors'
import type { ProfileFields } from '../../../../contract/profiles'
import type { ConsoleKind, ConsoleTicket, Provider, VmPage } from '../provider'

type VncFields = Extract<ProfileFields, { kind: 'vnc' }>

/** The one VM of a VNC profile has this id. */
export const VNC_VM_ID = 'console'

export interface VncProviderInput {
  id: string
  fields: VncFields
  secret: string | undefined
  /** How long the reachability check waits (login, connection test). */
  timeoutMs?: number
}

/** Reads the server's RFB greeting ("RFB 003.008\n"): proves something VNC-shaped listens there. */
export function probeRfb(host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port })
    let got = Buffer.alloc(0)
    const done = (err?: PortholeError, version?: string): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      socket.destroy()
      if (err) reject(err)
      else resolve(version ?? '')
    }
    const onAbort = (): void => done(new PortholeError('CANCELLED', 'Cancelled.'))
    const timer = setTimeout(() => done(new PortholeError('TIMEOUT', `${host}:${port} did not greet like a VNC server within ${timeoutMs} ms.`)), timeoutMs)
    signal.addEventListener('abort', onAbort)
    socket.on('data', (chunk: Buffer) => {
      got = Buffer.concat([got, chunk])
      if (got.length < 12) return
      const text = got.subarray(0, 12).toString('latin1')
      if (/^RFB \d{3}\.\d{3}\n$/.test(text)) done(undefined, text.trim())
      else done(new PortholeError('PROVIDER_ERROR', `${host}:${port} answered, but not as a VNC server.`))
    })
    socket.on('error', (err: NodeJS.ErrnoException) =>
      done(new PortholeError('PROVIDER_UNAVAILABLE', `Cannot reach ${host}:${port}: ${err.code ?? err.message}.`, { detail: { host, port } })),
    )
    socket.on('close', () => done(new PortholeError('PROVIDER_UNAVAILABLE', `${host}:${port} closed the connection before greeting.`)))
  })
}

/** The provider of a saved VNC profile. */
export function createVncProvider(input: VncProviderInput): Provider {
  const { fields } = input
  const timeoutMs = input.timeoutMs ?? 5000
  return {
    kind: 'vnc',
    connectionId: input.id,
    async login(signal) {
      await probeRfb(fields.host, fields.port, timeoutMs, signal)
    },
    async logout() {},
    async *listVms(): AsyncIterable<VmPage> {
      // Power is what the network says at listing time: a host that greets is on.
      const on = await probeRfb(fields.host, fields.port, timeoutMs, new AbortController().signal).then(
        () => true,
        () => false,
      )
      yield {
        vms: [
          {
            ref: { connectionId: input.id, id: VNC_VM_ID },
            name: fields.name,
            power: on ? 'on' : 'unknown',
            host: `${fields.host}:${fields.port}`,
            provider: 'vnc',
            raw: { address: `${fields.host}:${fields.port}` },
          },
        ],
      }
    },
    async power() {
      throw new PortholeError('UNSUPPORTED', 'A plain VNC host has no power control.')
    },
    async consoleTicket(vmId: string, kind: ConsoleKind): Promise<ConsoleTicket> {
      if (vmId !== VNC_VM_ID) throw new PortholeError('NOT_FOUND', 'A VNC connection has one console.')
      if (kind !== 'rfb') throw new PortholeError('UNSUPPORTED', 'A plain VNC host has only its graphical console.')
      const host = fields.host.includes(':') ? `[${fields.host}]` : fields.host
      return { kind: 'rfb', url: `tcp://${host}:${fields.port}`, ...(input.secret !== undefined ? { password: input.secret } : {}) }
    },
  }
}
