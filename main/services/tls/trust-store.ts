import tls, { type PeerCertificate, type TLSSocket } from 'node:tls'
import { Agent, buildConnector, type Dispatcher } from 'undici'
import type { ClientOptions } from 'ws'
import { PortholeError } from '../../../contract/errors'
import type { CertificateInfo, PinnedCertificate, TrustPolicy } from '../../../contract/tls'
import type { Log } from '../log/log'
import type { SecretStore } from '../vault/secret-store'
import { readCaFile, systemCaList } from './ca-source'
import { certificateInfo } from './certificate-info'
import { createPinStore, hostPort, normalizeHost } from './pin-store'
import { untrustedError } from './trust-error'
import { chainErrorOf, dialTls, VERIFY_OURSELVES } from './tls-dial'
import { judge, type Verdict } from './trust-policy'
import { TrustedDispatcher } from './trusted-dispatcher'

export interface TrustStoreOptions {
  /** The CA list of mode 'system'; tests inject one. Defaults to Node's list plus the OS store. */
  systemCa?: () => string[] | undefined
  now?: () => Date
  /** TCP connect + TLS handshake deadline. */
  connectTimeoutMs?: number
  /** How long a refused certificate stays trustable through `trust()`. */
  pendingTtlMs?: number
}

export interface ProbeResult {
  host: string
  port: number
  certificate: CertificateInfo
  verdict: Verdict
}

export interface TrustStore {
  /** The undici dispatcher for a profile's HTTPS requests; stable per profile+policy, verifies before any byte is sent. */
  dispatcherFor(profileId: string, policy: TrustPolicy): Dispatcher
  /** Options to spread (last) into `new WebSocket(url, {...})`: for wss:// they verify before the upgrade request; for ws:// they are empty. */
  wsOptionsFor(profileId: string, policy: TrustPolicy, url: string | URL): ClientOptions
  /** Connects, reads the certificate and how the policy judges it, and remembers it for `trust()`. */
  probe(profileId: string, url: string | URL, policy?: TrustPolicy, signal?: AbortSignal): Promise<ProbeResult>
  /** Pins the certificate last refused (as trustable) or probed at host:port, if its fingerprint is the one given. */
  trust(profileId: string, host: string, port: number, fingerprint256: string, options?: { replace?: boolean }): Promise<void>
  /** The pins of a profile, for display. */
  pins(profileId: string): PinnedCertificate[]
  /** Removes the pin of host:port; resolves to whether there was one. */
  forget(profileId: string, host: string, port: number): Promise<boolean>
  /** Removes every pin and closes every dispatcher of a profile (the profile is being deleted). */
  removePins(profileId: string): Promise<void>
  dispose(): Promise<void>
}

interface Target {
  profileId: string
  policy: TrustPolicy
  host: string
  port: number
}

interface Seen {
  cert: CertificateInfo
  at: number
}

const DEFAULT_CONNECT_TIMEOUT_MS = 15_000
const DEFAULT_PENDING_TTL_MS = 15 * 60_000

function policyKey(profileId: string, policy: TrustPolicy): string {
  return JSON.stringify([profileId, policy.mode, policy.mode === 'ca-file' ? policy.caFile : ''])
}

function targetOfUrl(url: string | URL): { host: string; port: number } {
  const u = typeof url === 'string' ? new URL(url) : url
  if (u.protocol !== 'wss:' && u.protocol !== 'https:') {
    throw new PortholeError('INVALID_INPUT', `Only wss:// and https:// URLs use TLS (got ${u.protocol}).`)
  }
  return { host: normalizeHost(u.hostname), port: u.port === '' ? 443 : Number(u.port) }
}

/** The trust store: one policy for every outbound TLS connection of main (providers, console relays, downloads). */
export function createTrustStore(secrets: SecretStore, log: Log, options: TrustStoreOptions = {}): TrustStore {
  const pinStore = createPinStore(secrets)
  const now = options.now ?? (() => new Date())
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  const pendingTtlMs = options.pendingTtlMs ?? DEFAULT_PENDING_TTL_MS
  let systemCa: { list: string[] | undefined } | undefined
  const systemCaOnce = (): string[] | undefined =>
    (systemCa ??= { list: (options.systemCa ?? systemCaList)() }).list
  const dispatchers = new Map<string, { profileId: string; dispatcher: TrustedDispatcher }>()
  const seen = new Map<string, Seen>()
  const seenKey = (profileId: string, hp: string): string => `${profileId}\n${hp}`

  const ensureUnlocked = (): void => {
    if (!secrets.isUnlocked()) throw new PortholeError('VAULT_LOCKED', 'The vault is locked: unlock it to connect.')
  }

  // A TLS context per CA list (the same list comes back while a CA file's text is unchanged),
  // for providers, console relays and probes alike: making one parses every certificate of the
  // list, hundreds for the system store, per socket.
  const contexts = new WeakMap<string[], tls.SecureContext>()

  /** The TLS context of a policy's CA list; undefined means Node's default list (mode 'pinned', or 'system' where the OS store cannot be read). */
  const contextFor = async (policy: TrustPolicy): Promise<tls.SecureContext | undefined> => {
    const ca = policy.mode === 'ca-file' ? await readCaFile(policy.caFile) : policy.mode === 'system' ? systemCaOnce() : undefined
    if (ca === undefined) return undefined
    let context = contexts.get(ca)
    if (context === undefined) {
      context = tls.createSecureContext({ ca })
      contexts.set(ca, context)
    }
    return context
  }

  const inspect = (target: Target, socket: TLSSocket): { cert: CertificateInfo; verdict: Verdict; chainError: string | undefined } => {
    const peer: PeerCertificate = socket.getPeerCertificate(true)
    if (!Buffer.isBuffer(peer.raw) || peer.raw.length === 0) {
      throw new PortholeError('PROVIDER_ERROR', `${hostPort(target.host, target.port)} presented no certificate.`)
    }
    const cert = certificateInfo(peer.raw)
    const chainError = chainErrorOf(socket)
    const hostnameMatches = tls.checkServerIdentity(target.host, peer) === undefined
    const pinned = pinStore.fingerprintFor(target.profileId, hostPort(target.host, target.port))
    const verdict = judge(target.policy.mode, { cert, chainError, hostnameMatches, now: now() }, pinned)
    return { cert, verdict, chainError }
  }

  const remember = (target: Target, cert: CertificateInfo): void => {
    const cutoff = Date.now() - pendingTtlMs
    for (const [key, s] of seen) if (s.at < cutoff) seen.delete(key)
    seen.set(seenKey(target.profileId, hostPort(target.host, target.port)), { cert, at: Date.now() })
  }

  /** Throws unless the peer of this fresh handshake is trusted under the target's policy. */
  const verifyPeer = (target: Target, socket: TLSSocket): void => {
    ensureUnlocked()
    const { cert, verdict, chainError } = inspect(target, socket)
    if (verdict.ok) return
    // Only what a pin can fix may be pinned: a renderer cannot pin past a CA or hostname failure.
    if (verdict.trustable) remember(target, cert)
    const hp = hostPort(target.host, target.port)
    log.warn('tls: certificate refused', {
      profileId: target.profileId,
      target: hp,
      reason: verdict.reason,
      fingerprint256: cert.fingerprint256,
      ...(verdict.pinnedFingerprint256 !== undefined ? { pinnedFingerprint256: verdict.pinnedFingerprint256 } : {}),
    })
    throw untrustedError(target.host, target.port, hp, cert, verdict, chainError)
  }

  /** Opens a TLS socket with the policy's CA list, resolving once the handshake is done (unverified). */
  const openTls = async (target: Target, signal?: AbortSignal): Promise<TLSSocket> => {
    const secureContext = await contextFor(target.policy)
    signal?.throwIfAborted()
    return dialTls({ host: target.host, port: target.port, secureContext, timeoutMs: connectTimeoutMs, ...(signal ? { signal } : {}) })
  }

  const connectorFor = (profileId: string, policy: TrustPolicy): buildConnector.connector => (opts, callback) => {
    if (opts.protocol !== 'https:') {
      // Plain http has no certificate to judge; whether a profile may use it is the profiles' rule.
      buildConnector({ timeout: connectTimeoutMs })(opts, callback)
      return
    }
    const target: Target = { profileId, policy, host: normalizeHost(opts.hostname), port: Number(opts.port) || 443 }
    const fail = (err: unknown): void =>
      callback(err instanceof Error ? err : new Error(String(err)), null)
    try {
      ensureUnlocked()
    } catch (err) {
      fail(err)
      return
    }
    contextFor(policy).then((secureContext) => {
      const connect = buildConnector({
        ...VERIFY_OURSELVES,
        ...(secureContext !== undefined ? { secureContext } : {}),
        maxCachedSessions: 0,
        timeout: connectTimeoutMs,
      })
      connect(opts, (err, socket) => {
        if (err !== null) return fail(err)
        try {
          verifyPeer(target, socket as TLSSocket)
          callback(null, socket)
        } catch (refusal) {
          socket.destroy()
          fail(refusal)
        }
      })
    }, fail)
  }

  const renewProfile = (profileId: string): void => {
    for (const entry of dispatchers.values()) if (entry.profileId === profileId) entry.dispatcher.renew()
  }

  const unsubscribe = secrets.onLock(() => {
    seen.clear()
    for (const entry of dispatchers.values()) entry.dispatcher.renew()
  })

  return {
    dispatcherFor(profileId, policy) {
      const key = policyKey(profileId, policy)
      let entry = dispatchers.get(key)
      if (entry === undefined) {
        const connect = connectorFor(profileId, policy)
        entry = { profileId, dispatcher: new TrustedDispatcher(() => new Agent({ connect })) }
        dispatchers.set(key, entry)
      }
      return entry.dispatcher
    },

    wsOptionsFor(profileId, policy, url) {
      const protocol = (typeof url === 'string' ? new URL(url) : url).protocol
      // Plain ws:// (a QEMU or noVNC proxy on the LAN) has no certificate to judge.
      if (protocol === 'ws:' || protocol === 'http:') return {}
      targetOfUrl(url)
      // Node's http client accepts createConnection(options, callback) returning nothing and hands
      // the socket over only when the callback runs: so the upgrade request (with its ticket in
      // the path) is written after verifyPeer accepted the peer. A redirect dials through here
      // again and is judged for its own host:port.
      const createConnection = (opts: { host?: string; port?: number | string }, callback: (err: Error | null, socket?: TLSSocket) => void): undefined => {
        const target: Target = { profileId, policy, host: normalizeHost(opts.host ?? ''), port: Number(opts.port) || 443 }
        Promise.resolve()
          .then(() => {
            ensureUnlocked()
            return openTls(target)
          })
          .then((socket) => {
            try {
              verifyPeer(target, socket)
            } catch (refusal) {
              socket.destroy()
              throw refusal
            }
            callback(null, socket)
          })
          .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))))
        return undefined
      }
      // The ws typings only know the synchronous form of createConnection. With an agent, Node's
      // http client would dial through the agent instead: spread these options last.
      return { agent: undefined, createConnection: createConnection as unknown as NonNullable<ClientOptions['createConnection']> }
    },

    async probe(profileId, url, policy = { mode: 'pinned' }, signal) {
      const { host, port } = targetOfUrl(url)
      const target: Target = { profileId, policy, host, port }
      const socket = await openTls(target, signal)
      try {
        const { cert, verdict } = inspect(target, socket)
        if (!verdict.ok && verdict.trustable) remember(target, cert)
        return { host, port, certificate: cert, verdict }
      } finally {
        socket.destroy()
      }
    },

    async trust(profileId, host, port, fingerprint256, trustOptions = {}) {
      ensureUnlocked()
      const hp = hostPort(host, port)
      const wanted = fingerprint256.trim().toUpperCase()
      const pending = seen.get(seenKey(profileId, hp))
      if (pending === undefined || pending.cert.fingerprint256 !== wanted || pending.at < Date.now() - pendingTtlMs) {
        throw new PortholeError('NOT_FOUND', `${hp} has not just presented a certificate with that fingerprint; connect again first.`, {
          detail: { host: normalizeHost(host), port },
        })
      }
      const current = pinStore.fingerprintFor(profileId, hp)
      if (current === wanted) return
      if (current !== undefined && trustOptions.replace !== true) {
        throw new PortholeError('CONFLICT', `Another certificate is pinned for ${hp}; replace it explicitly.`, {
          detail: { host: normalizeHost(host), port, pinnedFingerprint256: current, fingerprint256: wanted },
        })
      }
      await pinStore.put(profileId, hp, pending.cert, now())
      seen.delete(seenKey(profileId, hp))
      renewProfile(profileId)
      log.info('tls: certificate pinned', { profileId, target: hp, fingerprint256: wanted, replaced: current ?? null })
    },

    pins(profileId) {
      return pinStore.list(profileId)
    },

    async forget(profileId, host, port) {
      const hp = hostPort(host, port)
      const removed = await pinStore.remove(profileId, hp)
      if (removed) {
        renewProfile(profileId)
        log.info('tls: pin removed', { profileId, target: hp })
      }
      return removed
    },

    async removePins(profileId) {
      await pinStore.removeProfile(profileId)
      for (const key of seen.keys()) if (key.startsWith(`${profileId}\n`)) seen.delete(key)
      // The profile is gone: so are its connection pools.
      for (const [key, entry] of dispatchers) {
        if (entry.profileId !== profileId) continue
        dispatchers.delete(key)
        entry.dispatcher.close().catch(() => undefined)
      }
    },

    async dispose() {
      unsubscribe()
      const all = [...dispatchers.values()]
      dispatchers.clear()
      await Promise.all(all.map((e) => e.dispatcher.close().catch(() => undefined)))
    },
  }
}
