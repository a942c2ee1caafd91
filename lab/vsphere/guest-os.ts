// Guest operating systems the lab's VMs run: the vSphere guest_OS enum value, the family that
// guest identity reports, and the name vCenter shows. Every id is a value of the 7.0.2 spec's
// VcenterVmGuestOS enum (checked against the Swagger file).

export interface GuestOs {
  /** VcenterVmGuestOS enum value, e.g. UBUNTU_64. */
  id: string
  family: 'LINUX' | 'WINDOWS'
  fullName: string
  /** Message id of the localizable full name (guest identity `full_name.id`). */
  messageId: string
}

const os = (id: string, family: GuestOs['family'], fullName: string): GuestOs => ({
  id,
  family,
  fullName,
  messageId: `vmsg.guestos.${id.toLowerCase()}.label`,
})

export const GUEST_OSES: readonly GuestOs[] = [
  os('UBUNTU_64', 'LINUX', 'Ubuntu Linux (64-bit)'),
  os('RHEL_8_64', 'LINUX', 'Red Hat Enterprise Linux 8 (64-bit)'),
  os('RHEL_7_64', 'LINUX', 'Red Hat Enterprise Linux 7 (64-bit)'),
  os('CENTOS_7_64', 'LINUX', 'CentOS 7 (64-bit)'),
  os('DEBIAN_11_64', 'LINUX', 'Debian GNU/Linux 11 (64-bit)'),
  os('SLES_15_64', 'LINUX', 'SUSE Linux Enterprise 15 (64-bit)'),
  os('OTHER_4X_LINUX_64', 'LINUX', 'Other 4.x or later Linux (64-bit)'),
  os('WINDOWS_9_SERVER_64', 'WINDOWS', 'Microsoft Windows Server 2016 or later (64-bit)'),
  os('WINDOWS_SERVER_2019', 'WINDOWS', 'Microsoft Windows Server 2019 (64-bit)'),
  os('WINDOWS_9_64', 'WINDOWS', 'Microsoft Windows 10 (64-bit)'),
]

export const LINUX_OSES = GUEST_OSES.filter((o) => o.family === 'LINUX')
export const WINDOWS_OSES = GUEST_OSES.filter((o) => o.family === 'WINDOWS')
