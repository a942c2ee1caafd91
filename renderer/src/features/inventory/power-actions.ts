import type { PowerAction, PowerState } from '../../../../contract/inventory'
import type { IconComponent } from '../../components/icons'
import { PauseIcon, PowerIcon, ResetIcon, ShutdownIcon, StopIcon } from './inventory-icons'
import type { VmItem } from './vm-item'

export interface PowerActionSpec {
  action: PowerAction
  /** Button and menu label. */
  label: string
  /** The confirmation's verb: "Power off 3 VMs?" */
  verb: string
  /** While it is under way, on the row's badge. */
  progress: string
  icon: IconComponent
  /** Whether it applies to a VM in this state. */
  applies(power: PowerState): boolean
  /** What the confirmation says happens; absent: no confirmation (nothing is lost by it). */
  warning?: string
}

export const POWER_ACTIONS: readonly PowerActionSpec[] = [
  { action: 'on', label: 'Power on', verb: 'Power on', progress: 'Starting…', icon: PowerIcon, applies: (p) => p === 'off' || p === 'suspended' },
  {
    action: 'shutdown',
    label: 'Shut down',
    verb: 'Shut down',
    progress: 'Shutting down…',
    icon: ShutdownIcon,
    applies: (p) => p === 'on',
    // Every provider asks the guest itself (vCenter through VMware Tools, Nova and ZStack through ACPI).
    warning: 'The guest operating system is asked to shut down, and must be able to answer (VMware Tools on vCenter, ACPI elsewhere). Its applications close; anything unsaved in them may be lost.',
  },
  {
    action: 'off',
    label: 'Power off',
    verb: 'Power off',
    progress: 'Stopping…',
    icon: StopIcon,
    applies: (p) => p === 'on' || p === 'suspended',
    warning: 'Power is cut at once, like pulling the plug: the guest gets no chance to shut down and unsaved work is lost.',
  },
  {
    action: 'reset',
    label: 'Reset',
    verb: 'Reset',
    progress: 'Resetting…',
    icon: ResetIcon,
    applies: (p) => p === 'on',
    warning: 'The VM restarts at once, like pressing its reset button: unsaved work in the guest is lost.',
  },
  {
    action: 'suspend',
    label: 'Suspend',
    verb: 'Suspend',
    progress: 'Suspending…',
    icon: PauseIcon,
    applies: (p) => p === 'on',
    warning: 'The VM stops running and its memory is saved to disk; its services are unreachable until it is powered on again.',
  },
]

export function specOf(action: PowerAction): PowerActionSpec {
  return POWER_ACTIONS.find((a) => a.action === action) as PowerActionSpec
}

/** The VMs an action applies to, of those given. */
export function targetsOf(items: readonly VmItem[], spec: PowerActionSpec): VmItem[] {
  return items.filter((i) => spec.applies(i.power) && i.pending === undefined)
}
