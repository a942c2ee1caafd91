// vCenter answers a VM's configured guest OS as an enum id (UBUNTU_64) when VMware Tools are not
// running (guest identity gives the display name only while they run). The table shows names:
// the common ids by their vSphere Client names, any other id spelled out readably.

const NAMES: Record<string, string> = {
  UBUNTU_64: 'Ubuntu Linux (64-bit)',
  UBUNTU: 'Ubuntu Linux (32-bit)',
  RHEL_9_64: 'Red Hat Enterprise Linux 9 (64-bit)',
  RHEL_8_64: 'Red Hat Enterprise Linux 8 (64-bit)',
  RHEL_7_64: 'Red Hat Enterprise Linux 7 (64-bit)',
  CENTOS_8_64: 'CentOS 8 (64-bit)',
  CENTOS_7_64: 'CentOS 7 (64-bit)',
  DEBIAN_12_64: 'Debian GNU/Linux 12 (64-bit)',
  DEBIAN_11_64: 'Debian GNU/Linux 11 (64-bit)',
  DEBIAN_10_64: 'Debian GNU/Linux 10 (64-bit)',
  SLES_15_64: 'SUSE Linux Enterprise 15 (64-bit)',
  SLES_12_64: 'SUSE Linux Enterprise 12 (64-bit)',
  OTHER_4X_LINUX_64: 'Other 4.x or later Linux (64-bit)',
  OTHER_3X_LINUX_64: 'Other 3.x Linux (64-bit)',
  OTHER_LINUX_64: 'Other Linux (64-bit)',
  WINDOWS_9_SERVER_64: 'Microsoft Windows Server 2016 or later (64-bit)',
  WINDOWS_SERVER_2019: 'Microsoft Windows Server 2019 (64-bit)',
  WINDOWS_SERVER_2021: 'Microsoft Windows Server 2022 (64-bit)',
  WINDOWS_9_64: 'Microsoft Windows 10 (64-bit)',
  WINDOWS_11_64: 'Microsoft Windows 11 (64-bit)',
  FREEBSD_13_64: 'FreeBSD 13 (64-bit)',
}

const ENUM_ID = /^[A-Z0-9]+(_[A-Z0-9]+)*$/

/** A display name for a guest OS: enum ids become names, anything else is kept as the server said it. */
export function guestOsName(value: string): string {
  if (!ENUM_ID.test(value)) return value
  const known = NAMES[value]
  if (known) return known
  const bits = value.endsWith('_64') ? ' (64-bit)' : ''
  const words = (bits ? value.slice(0, -3) : value).split('_').map((w) => (/^\d/.test(w) ? w : w.charAt(0) + w.slice(1).toLowerCase()))
  return words.join(' ') + bits
}
