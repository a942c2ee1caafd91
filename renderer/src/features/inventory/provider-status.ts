// How a VM's provider status (Nova's 'ACTIVE · powering-off', vCenter's 'POWERED_OFF', ZStack's
// 'Running') reads in the table: its tone (an error stands out, a change under way looks busy)
// and the words the power badge carries as its tooltip and accessible description.
import type { VmItem } from './vm-item'

/** 'error': the provider says something broke; 'busy': a change is under way; 'plain': anything else. */
export type StatusTone = 'error' | 'busy' | 'plain'

/** Nova ERROR, ZStack Crashed: a VM that needs an operator, whatever its power reads. */
const ERROR = /^(error|crashed)\b/i
/**
 * A task under way: Nova's status with its task state ('ACTIVE · powering-off') or its own
 * transitional statuses, ZStack's -ing states ('Starting', 'Migrating') but 'Running'.
 */
const BUSY = /·|^(build|rebuild|reboot|hard_reboot|resize|migrating|password|rescue)$|^(?!running$).*ing$/i

/** The tone of a provider status; '' (none known) is plain. */
export function statusTone(status: string): StatusTone {
  if (status === '') return 'plain'
  if (ERROR.test(status)) return 'error'
  return BUSY.test(status) ? 'busy' : 'plain'
}

/** The providers as the table names them. */
export const PROVIDER_LABEL: Record<VmItem['provider'], string> = { vsphere: 'vCenter', openstack: 'OpenStack', zstack: 'ZStack', vnc: 'VNC' }

/** What the power badge says beyond its word: "OpenStack status: ACTIVE · powering-off"; undefined without a status. */
export function statusDescription(item: Pick<VmItem, 'provider' | 'status'>): string | undefined {
  return item.status === '' ? undefined : `${PROVIDER_LABEL[item.provider]} status: ${item.status}`
}
