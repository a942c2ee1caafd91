import { z } from 'zod'
import { CertificateInfo, type PinnedCertificate } from '../../../contract/tls'
import type { SecretStore } from '../vault/secret-store'

/** The vault section that holds every pin (DESIGN.md, "TLS trust"). */
export const PINS_SECTION = 'tls.pins'

const StoredPin = CertificateInfo.extend({ addedAt: z.string() })
type StoredPin = z.infer<typeof StoredPin>

/** profileId → "host:port" → pin. ESXi hosts present their own certificates, so one profile has several. */
const PinsSection = z.record(z.string(), z.record(z.string(), StoredPin))
type PinsSection = z.infer<typeof PinsSection>

/** Host names compare case-insensitively; IPv6 literals lose their brackets. */
export function normalizeHost(host: string): string {
  const h = host.trim().toLowerCase()
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h
}

/** The key of a pin: "host:port", with IPv6 literals bracketed so the port stays unambiguous. */
export function hostPort(host: string, port: number): string {
  const h = normalizeHost(host)
  return h.includes(':') ? `[${h}]:${port}` : `${h}:${port}`
}

function splitHostPort(key: string): { host: string; port: number } {
  const at = key.lastIndexOf(':')
  const host = key.slice(0, at)
  return { host: normalizeHost(host), port: Number(key.slice(at + 1)) }
}

export interface PinStore {
  /** The pinned fingerprint for host:port, or undefined. Throws VAULT_LOCKED while locked. */
  fingerprintFor(profileId: string, key: string): string | undefined
  list(profileId: string): PinnedCertificate[]
  /** Sets (or replaces) the pin of host:port. */
  put(profileId: string, key: string, cert: CertificateInfo, addedAt: Date): Promise<void>
  /** Removes one pin; resolves to whether there was one. */
  remove(profileId: string, key: string): Promise<boolean>
  removeProfile(profileId: string): Promise<boolean>
}

/** Pins in the vault. Mutations are serialized here, since each is a read-modify-write of one section. */
export function createPinStore(secrets: SecretStore): PinStore {
  let queue: Promise<unknown> = Promise.resolve()
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task)
    queue = run.catch(() => undefined)
    return run
  }
  const readAll = (): PinsSection => secrets.read(PINS_SECTION, PinsSection) ?? {}

  return {
    fingerprintFor(profileId, key) {
      return readAll()[profileId]?.[key]?.fingerprint256
    },
    list(profileId) {
      const pins = readAll()[profileId] ?? {}
      return Object.entries(pins)
        .map(([key, pin]) => ({ ...splitHostPort(key), ...pin }))
        .sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port)
    },
    put(profileId, key, cert, addedAt) {
      return serialized(async () => {
        const all = readAll()
        const pin: StoredPin = { ...cert, addedAt: addedAt.toISOString() }
        await secrets.write(PINS_SECTION, { ...all, [profileId]: { ...all[profileId], [key]: pin } })
      })
    },
    remove(profileId, key) {
      return serialized(async () => {
        const all = readAll()
        const pins = all[profileId]
        if (pins === undefined || !Object.hasOwn(pins, key)) return false
        const { [key]: _gone, ...rest } = pins
        await secrets.write(PINS_SECTION, { ...all, [profileId]: rest })
        return true
      })
    },
    removeProfile(profileId) {
      return serialized(async () => {
        const all = readAll()
        if (!Object.hasOwn(all, profileId)) return false
        const { [profileId]: _gone, ...rest } = all
        await secrets.write(PINS_SECTION, rest)
        return true
      })
    },
  }
}
