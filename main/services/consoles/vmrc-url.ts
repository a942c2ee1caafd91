// The one shape of VMRC URL Porthole hands to the operating system (reference vsphere.md §3.2,
// govc `vm.console`): `vmrc://clone:<ticket>@<vcenter-host>[:port]/?moid=<vm-id>`. Whatever
// the OS does with a URL is outside our control (a registered handler runs with it), so the
// check is strict and exact: it reads the raw string with one anchored pattern instead of a
// URL parser's forgiving normalisation, and every part must be the one expected.
import { PortholeError } from '../../../contract/errors'

/** What the URL must name: the profile's vCenter (host and port as in its endpoint) and the VM. */
export interface VmrcExpectation {
  /** The vCenter host name or address from the profile's endpoint (IPv6 without brackets). */
  host: string
  /** The endpoint's port; a ticket may also name none (or 443). */
  port: number
  vmId: string
}

/** Clone tickets look like `cst-VCT-<hex>--tp-<thumbprint with dashes>`; nothing URL-special. */
const TICKET = '[A-Za-z0-9._-]{1,1024}'
const HOST = '(?:[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])'
const MOID = '[A-Za-z0-9._-]{1,200}'
const SHAPE = new RegExp(`^vmrc://clone:(${TICKET})@(${HOST})(?::([1-9][0-9]{0,4}))?/\\?moid=(${MOID})$`)

function bare(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1').toLowerCase()
}

/**
 * Returns the URL unchanged if it is exactly a VMRC clone-ticket URL for the expected vCenter
 * and VM; otherwise throws PROVIDER_ERROR (never launching anything half-checked).
 */
export function validateVmrcUrl(raw: string, expected: VmrcExpectation): string {
  const refuse = (why: string): never => {
    throw new PortholeError('PROVIDER_ERROR', `vCenter returned a VMRC link Porthole will not open: ${why}.`)
  }
  if (raw.length > 2048) refuse('it is too long')
  const m = SHAPE.exec(raw)
  if (!m) return refuse('it is not of the form vmrc://clone:<ticket>@<host>/?moid=<vm>')
  const [, , host, port, moid] = m
  if (bare(host!) !== bare(expected.host)) refuse(`it names the host ${host!}, not ${expected.host}`)
  if (port !== undefined && port !== '443' && Number(port) !== expected.port) refuse(`it names the port ${port}`)
  if (moid !== expected.vmId) refuse(`it names the VM ${moid!}, not ${expected.vmId}`)
  return raw
}
