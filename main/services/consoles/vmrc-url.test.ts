import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { validateVmrcUrl, type VmrcExpectation } from './vmrc-url'

const expected: VmrcExpectation = { host: 'vc.example.com', port: 8443, vmId: 'vm-42' }
const TICKET = 'cst-VCT-52f3a5e1-0c5e-4b0a--tp-9A-3C-5E-11-22-33-44-55-66-77-88-99-AA-BB-CC-DD-EE-FF-00-11'
const GOOD = `vmrc://clone:${TICKET}@vc.example.com:8443/?moid=vm-42`

function accepts(url: string, exp: VmrcExpectation = expected): boolean {
  try {
    return validateVmrcUrl(url, exp) === url
  } catch {
    return false
  }
}

/** The URLs that are exactly right for a given ticket: the authority with no port, 443 or the endpoint's port. */
function rightUrls(ticket: string, exp: VmrcExpectation = expected): Set<string> {
  return new Set(['', ':443', `:${exp.port}`].map((port) => `vmrc://clone:${ticket}@${exp.host}${port}/?moid=${exp.vmId}`))
}

const ticketChar = fc.constantFrom(...'abcXYZ0189.-_'.split(''))
const ticketArb = fc.string({ unit: ticketChar, minLength: 1, maxLength: 80 })
/** Any character, including the ones that matter in URLs. */
const anyChar = fc.constantFrom(...'a Z 0 9 . - _ : / ? # @ [ ] % & = + \\ \n \t \u0000 é'.split(' ').concat([' ', '', 'vmrc', '//', 'moid']))

describe('validateVmrcUrl', () => {
  it('accepts the documented shape with and without a port, as govc prints it', () => {
    expect(accepts(GOOD)).toBe(true)
    expect(accepts(`vmrc://clone:${TICKET}@vc.example.com/?moid=vm-42`)).toBe(true)
    expect(accepts(`vmrc://clone:${TICKET}@vc.example.com:443/?moid=vm-42`)).toBe(true)
    expect(accepts(`vmrc://clone:${TICKET}@VC.Example.com:8443/?moid=vm-42`)).toBe(true)
    expect(accepts(`vmrc://clone:cst-VCT-1@[::1]:8443/?moid=vm-42`, { ...expected, host: '::1' })).toBe(true)
  })

  it('refuses near misses: scheme, user, host, port, path, query, fragment, VM', () => {
    for (const url of [
      GOOD.replace('vmrc:', 'VMRC:'),
      GOOD.replace('vmrc:', 'http:'),
      GOOD.replace('clone:', 'root:'),
      GOOD.replace('vc.example.com', 'evil.example.com'),
      GOOD.replace('vc.example.com', 'vc.example.com.evil.net'),
      GOOD.replace('@vc.', '@evil.com@vc.'),
      GOOD.replace(':8443', ':9443'),
      GOOD.replace(':8443', ':08443'),
      GOOD.replace('/?moid', '/x?moid'),
      GOOD.replace('/?moid', '?moid'),
      GOOD + '&x=1',
      GOOD + '#frag',
      GOOD.replace('vm-42', 'vm-43'),
      GOOD.replace('vm-42', 'vm-42/../x'),
      GOOD.replace(TICKET, ''),
      GOOD.replace(TICKET, 'a%40b'),
      ` ${GOOD}`,
      `${GOOD}\n`,
      `vmrc://clone:${'a'.repeat(2100)}@vc.example.com/?moid=vm-42`,
    ]) {
      expect(accepts(url), url).toBe(false)
    }
  })

  it('a refusal is a PROVIDER_ERROR that names what was wrong', () => {
    expect(() => validateVmrcUrl(GOOD.replace('vm-42', 'vm-7'), expected)).toThrow(expect.objectContaining({ code: 'PROVIDER_ERROR', message: expect.stringContaining('vm-7') }))
  })

  it('property: any ticket of the allowed characters is accepted in every right form', () => {
    fc.assert(
      fc.property(ticketArb, fc.constantFrom('', ':443', ':8443'), (ticket, port) => {
        expect(accepts(`vmrc://clone:${ticket}@vc.example.com${port}/?moid=vm-42`)).toBe(true)
      }),
    )
  })

  it('property: one edit anywhere (insert, delete, replace) is accepted only if the result is still exactly right', () => {
    fc.assert(
      fc.property(ticketArb, fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), anyChar, fc.constantFrom('', ':443', ':8443'), (ticket, at, op, ch, port) => {
        const url = `vmrc://clone:${ticket}@vc.example.com${port}/?moid=vm-42`
        const i = at % (url.length + 1)
        const mutated =
          op === 'insert' ? url.slice(0, i) + ch + url.slice(i) : op === 'delete' ? url.slice(0, i) + url.slice(i + 1) : url.slice(0, i) + ch + url.slice(i + 1)
        // The oracle: the same three right forms for whatever ticket the edit left, if the ticket is still made of allowed characters.
        const m = /^vmrc:\/\/clone:([A-Za-z0-9._-]{1,1024})@/.exec(mutated)
        const right = m ? rightUrls(m[1]!) : new Set<string>()
        const hostCase = m ? [...right].some((r) => r.toLowerCase() === mutated.toLowerCase() && r.slice(0, m[0].length) === mutated.slice(0, m[0].length)) : false
        expect(accepts(mutated), JSON.stringify(mutated)).toBe(right.has(mutated) || hostCase)
      }),
      { numRuns: 2000 },
    )
  })

  it('property: arbitrary strings and web URLs are refused', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.webUrl({ withQueryParameters: true, withFragments: true })), (s) => {
        expect(accepts(s)).toBe(false)
      }),
      { numRuns: 300 },
    )
  })

  it('property: a URL for another host or another VM is refused, whatever the ticket', () => {
    fc.assert(
      fc.property(ticketArb, fc.domain(), fc.stringMatching(/^vm-[0-9]{1,6}$/), (ticket, host, vm) => {
        fc.pre(host.toLowerCase() !== expected.host && vm !== expected.vmId)
        expect(accepts(`vmrc://clone:${ticket}@${host}/?moid=vm-42`)).toBe(false)
        expect(accepts(`vmrc://clone:${ticket}@vc.example.com/?moid=${vm}`)).toBe(false)
      }),
    )
  })
})
