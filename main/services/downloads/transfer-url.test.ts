import { describe, expect, it } from 'vitest'
import { resolveTransferUrl } from './transfer-url'

describe('resolveTransferUrl', () => {
  it('puts the host that was called in place of "*", with its port when the URL names none', () => {
    expect(resolveTransferUrl('https://*/guestFile?id=1&token=1234', 'https://vc.example.com').href).toBe('https://vc.example.com/guestFile?id=1&token=1234')
    expect(resolveTransferUrl('https://*/guestFile?id=1&token=1234', 'https://vc.example.com:8443/').href).toBe('https://vc.example.com:8443/guestFile?id=1&token=1234')
  })
  it('keeps the port the URL names (the lab\'s ESXi listener beside vCenter)', () => {
    expect(resolveTransferUrl('https://*:44035/guestFile?id=7&token=ab', 'https://127.0.0.1:8443').href).toBe('https://127.0.0.1:44035/guestFile?id=7&token=ab')
  })
  it('keeps IPv6 hosts bracketed', () => {
    expect(resolveTransferUrl('https://*/guestFile?id=1', 'https://[::1]:9443').href).toBe('https://[::1]:9443/guestFile?id=1')
  })
  it('uses a URL that names its host as it is (vCenter naming the VM\'s ESXi host)', () => {
    expect(resolveTransferUrl('https://esx-01.lab:443/guestFile?id=17&token=52a1', 'https://vc.lab').href).toBe('https://esx-01.lab/guestFile?id=17&token=52a1')
  })
  it('refuses anything but https, URLs with credentials, and garbage', () => {
    expect(() => resolveTransferUrl('http://*/guestFile?id=1', 'https://vc.lab')).toThrow(/only https/)
    expect(() => resolveTransferUrl('https://user:pw@esx/guestFile', 'https://vc.lab')).toThrow(/credentials/)
    expect(() => resolveTransferUrl('not a url', 'https://vc.lab')).toThrow(/not a URL/)
    // A "*" that is only the start of a host name is not the placeholder.
    expect(resolveTransferUrl('https://*.evil/guestFile', 'https://vc.lab').hostname).not.toBe('vc.lab')
  })
})
