import { describe, expect, it } from 'vitest'
import type { CertificateInfo } from '../../../contract/tls'
import { judge, type Presented } from './trust-policy'

const FP = 'AA:' + Array.from({ length: 31 }, () => 'BB').join(':')
const OTHER = 'CC:' + Array.from({ length: 31 }, () => 'DD').join(':')
const now = new Date('2026-06-01T00:00:00Z')
const cert: CertificateInfo = {
  fingerprint256: FP,
  subject: 'CN=esx',
  issuer: 'CN=esx',
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: '2027-01-01T00:00:00.000Z',
}
const expired: CertificateInfo = { ...cert, validTo: '2026-02-01T00:00:00.000Z' }
const p = (over: Partial<Presented>): Presented => ({ cert, chainError: undefined, hostnameMatches: true, now, ...over })
const SELF = 'DEPTH_ZERO_SELF_SIGNED_CERT'

describe('judge', () => {
  it('pinned: only the pin counts', () => {
    expect(judge('pinned', p({ chainError: SELF, hostnameMatches: false }), FP)).toEqual({ ok: true, via: 'pin' })
    expect(judge('pinned', p({}), undefined)).toEqual({ ok: false, reason: 'unknown', trustable: true })
    expect(judge('pinned', p({}), OTHER)).toEqual({ ok: false, reason: 'changed', trustable: true, pinnedFingerprint256: OTHER })
    expect(judge('pinned', p({ cert: expired, chainError: 'CERT_HAS_EXPIRED' }), FP)).toEqual({ ok: true, via: 'pin' })
  })

  it('system: CA chain and hostname, a pin stands in only for an unknown issuer', () => {
    expect(judge('system', p({}), undefined)).toEqual({ ok: true, via: 'ca' })
    expect(judge('system', p({ hostnameMatches: false }), FP)).toMatchObject({ ok: false, reason: 'hostname-mismatch', trustable: false })
    expect(judge('system', p({ chainError: SELF }), undefined)).toMatchObject({ ok: false, reason: 'unknown', trustable: true })
    expect(judge('system', p({ chainError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', hostnameMatches: false }), FP)).toEqual({ ok: true, via: 'pin' })
    expect(judge('system', p({ chainError: SELF }), OTHER)).toMatchObject({ ok: false, reason: 'changed' })
    // OpenSSL reports the self-signed error first; the dates still refuse it, pin or not.
    expect(judge('system', p({ cert: expired, chainError: SELF }), FP)).toMatchObject({ ok: false, reason: 'expired', trustable: false })
    expect(judge('system', p({ chainError: 'CERT_HAS_EXPIRED' }), FP)).toMatchObject({ ok: false, reason: 'expired' })
    expect(judge('system', p({ chainError: 'CERT_SIGNATURE_FAILURE' }), FP)).toMatchObject({ ok: false, reason: 'unknown', trustable: false })
  })

  it('ca-file: pins play no part', () => {
    expect(judge('ca-file', p({}), undefined)).toEqual({ ok: true, via: 'ca' })
    expect(judge('ca-file', p({ chainError: SELF }), FP)).toMatchObject({ ok: false, reason: 'ca-file', trustable: false })
    expect(judge('ca-file', p({ hostnameMatches: false }), FP)).toMatchObject({ ok: false, reason: 'hostname-mismatch' })
    expect(judge('ca-file', p({ chainError: 'CERT_NOT_YET_VALID' }), undefined)).toMatchObject({ ok: false, reason: 'expired' })
  })
})
