import { beforeEach, describe, expect, it } from 'vitest'
import { errorOf } from '../../../test/helpers/error-of'
import { ProfileInput } from '../../../contract/profiles'
import { memoryLog } from '../log/log'
import { memorySecretStore } from '../vault/secret-store'
import { canaryForms, canaryLeaks } from './canary'
import { createConnectionTesters } from './connection-testers'
import { createProfileExport, type ProfileExport } from './profile-export'
import { createProfileService, type ProfileService } from './profile-service'

const CANARY = 'CANARY-7f3a9c-export-secret-0042'
const TINY = { m: 64, t: 1, p: 1 }
const PASSWORD = 'export password'

let service: ProfileService
let exporter: ProfileExport

beforeEach(() => {
  service = createProfileService({ store: memorySecretStore(), log: memoryLog(), testers: createConnectionTesters(), onChange: () => {} })
  exporter = createProfileExport({ profiles: service, kdf: TINY, now: () => new Date('2026-05-04T12:00:00Z') })
})

describe('canaryForms', () => {
  it('finds the secret in every encoding at every alignment, and nothing in unrelated bytes', () => {
    for (let offset = 0; offset < 3; offset++) {
      const buffer = Buffer.concat([Buffer.alloc(offset + 5, 0x41), Buffer.from(CANARY), Buffer.alloc(4, 0x42)])
      expect(canaryLeaks(buffer.toString('base64'), CANARY), `base64 @${offset}`).not.toEqual([])
      expect(canaryLeaks(buffer.toString('base64url'), CANARY), `base64url @${offset}`).not.toEqual([])
      expect(canaryLeaks(buffer.toString('hex'), CANARY), `hex @${offset}`).not.toEqual([])
    }
    expect(canaryLeaks(`x${CANARY}y`, CANARY)).toEqual([CANARY])
    expect(canaryLeaks(Buffer.alloc(200, 0x43).toString('base64'), CANARY)).toEqual([])
    expect(canaryForms(CANARY).length).toBeGreaterThanOrEqual(9)
  })
})

describe('export', () => {
  it('writes a file in which the secret appears in no encoding, and which imports back the same', async () => {
    const vs = await service.add(
      ProfileInput.parse({ kind: 'vsphere', name: 'VC', endpoint: 'https://vc.example.test', user: 'root', trust: { mode: 'pinned' }, secret: CANARY }),
    )
    const os = await service.add(
      ProfileInput.parse({
        kind: 'openstack',
        name: 'OS',
        endpoint: 'https://k.example.test/v3',
        user: 'u',
        trust: { mode: 'ca-file', caFile: '/etc/ca.pem' },
        authType: 'password',
        projectId: 'p1',
        secret: 'another-secret-value',
      }),
    )
    const vnc = await service.add(ProfileInput.parse({ kind: 'vnc', name: 'V', host: 'vnc.example.test', port: 5900 }))

    const file = await exporter.exportProfiles([vs.id, os.id, vnc.id], PASSWORD)
    const bytes = Buffer.from(file.data, 'base64')
    expect(file.bytes).toBe(bytes.length)
    expect(file.fileName).toBe('porthole-profiles-2026-05-04.json')
    expect(canaryLeaks(bytes, CANARY)).toEqual([])
    expect(canaryLeaks(file.data, CANARY)).toEqual([])
    expect(canaryLeaks(JSON.stringify(file), CANARY)).toEqual([])
    expect(bytes.toString('utf8')).not.toContain('another-secret-value')
    expect(bytes.toString('utf8')).not.toContain('vc.example.test')

    const back = await exporter.readExport(bytes.toString('utf8'), PASSWORD)
    expect(back.skipped).toEqual([])
    expect(back.candidates.map((c) => c.fields)).toEqual(service.profiles().map((p) => p.fields))
    expect(back.candidates.map((c) => c.secret)).toEqual([CANARY, 'another-secret-value', undefined])
    // The renderer may send the bytes as base64 instead of text.
    expect((await exporter.readExport(file.data, PASSWORD)).candidates).toHaveLength(3)
  })

  it('exports only the chosen profiles, each once', async () => {
    const a = await service.add(ProfileInput.parse({ kind: 'vnc', name: 'A', host: 'a.example.test', port: 5900 }))
    await service.add(ProfileInput.parse({ kind: 'vnc', name: 'B', host: 'b.example.test', port: 5900 }))
    const file = await exporter.exportProfiles([a.id, a.id], PASSWORD)
    const back = await exporter.readExport(file.data, PASSWORD)
    expect(back.candidates.map((c) => c.fields.name)).toEqual(['A'])
  })

  it('says NOT_FOUND for an unknown id and writes nothing', async () => {
    expect((await errorOf(exporter.exportProfiles(['7d0b7c5e-3c1e-4a59-9f3c-2b1d1f6e8a10'], PASSWORD))).code).toBe('NOT_FOUND')
  })

  it('says AUTH_FAILED for a wrong password and FILE_DAMAGED for a tampered or foreign file', async () => {
    const a = await service.add(ProfileInput.parse({ kind: 'vnc', name: 'A', host: 'a.example.test', port: 5900, secret: CANARY }))
    const file = await exporter.exportProfiles([a.id], PASSWORD)
    expect((await errorOf(exporter.readExport(file.data, 'not the password'))).code).toBe('AUTH_FAILED')

    const envelope = JSON.parse(Buffer.from(file.data, 'base64').toString('utf8'))
    const ct = Buffer.from(envelope.ciphertext, 'base64')
    ct[ct.length - 1] = (ct[ct.length - 1] ?? 0) ^ 0x80
    envelope.ciphertext = ct.toString('base64')
    const tampered = await errorOf(exporter.readExport(JSON.stringify(envelope), PASSWORD))
    expect(tampered.code).toBe('FILE_DAMAGED')
    expect(tampered.message).toMatch(/modified or damaged.*Nothing was imported/)

    expect((await errorOf(exporter.readExport('%%% not base64 %%%', PASSWORD))).code).toBe('FILE_DAMAGED')
    expect((await errorOf(exporter.readExport('clouds:\n  a: {}', PASSWORD))).code).toBe('FILE_DAMAGED')
  })
})
