// One VM: get (reference §2.2, "Read this first" 4), hard power (§2.3, "Read this first" 6, 16),
// guest identity (§2.4), guest power ("Read this first" 5) and console tickets (§3, "Read this first" 7).
import { invalidArgument } from './filters'
import { toolsState, vmIdentity, type PowerState, type Vm } from './inventory'
import { findVm, vmRef, type Call, type LabState } from './state'
import { created, done, message, ok, VapiError, type Reply } from './wire'

function busy(state: LabState, vm: Vm): VapiError {
  const ref = vmRef(state, vm)
  return new VapiError('RESOURCE_BUSY', [
    message('com.vmware.api.vcenter.vm.busy', `Virtual machine with identifier '${ref}' is busy.`, ref),
  ])
}

/** 503 with the message id clients use to tell "no Tools" from an unavailable vCenter. */
export function toolsNotRunning(state: LabState, vm: Vm): VapiError {
  const ref = vmRef(state, vm)
  return new VapiError('SERVICE_UNAVAILABLE', [
    message(
      'com.vmware.api.vcenter.vm.guest.tools_not_running',
      `VMware Tools are not running in Virtual machine with identifier '${ref}'.`,
      ref,
    ),
  ])
}

function powerError(state: LabState, type: 'ALREADY_IN_DESIRED_STATE' | 'NOT_ALLOWED_IN_CURRENT_STATE', vm: Vm, text: string): VapiError {
  const ref = vmRef(state, vm)
  const id = type === 'ALREADY_IN_DESIRED_STATE' ? 'com.vmware.api.vcenter.vm.power.already_in_desired_state' : 'com.vmware.api.vcenter.vm.power.not_allowed_in_current_state'
  return new VapiError(type, [message(id, text.replace('{vm}', ref), ref)])
}

/** GET vcenter/vm/{vm}: every required field; the device maps are Maps (style-encoded). */
export function getVm(state: LabState, vm: Vm): Reply {
  if (vm.inaccessible) {
    const ref = vmRef(state, vm)
    throw new VapiError('RESOURCE_INACCESSIBLE', [
      message('com.vmware.api.vcenter.vm.inaccessible', `Virtual machine with identifier '${ref}' is inaccessible.`, ref),
    ])
  }
  const windows = vm.os.family === 'WINDOWS'
  const ids = vmIdentity(vm, state.seed)
  const disk = {
    label: 'Hard disk 1',
    type: 'SCSI',
    scsi: { bus: 0, unit: 0 },
    backing: { type: 'VMDK_FILE', vmdk_file: `[datastore-${vm.datacenter}] ${vm.name}/${vm.name}.vmdk` },
    capacity: vm.diskGiB * 1024 ** 3,
  }
  const nic = {
    label: 'Network adapter 1',
    type: windows ? 'E1000E' : 'VMXNET3',
    upt_compatibility_enabled: false,
    mac_type: 'ASSIGNED',
    mac_address: ids.macAddress,
    pci_slot_number: 192,
    wake_on_lan_enabled: true,
    backing: { type: 'STANDARD_PORTGROUP', network: 'network-13', network_name: 'VM Network' },
    state: vm.power === 'POWERED_ON' ? 'CONNECTED' : 'NOT_CONNECTED',
    start_connected: true,
    allow_guest_control: true,
  }
  const cdrom = {
    type: 'SATA',
    label: 'CD/DVD drive 1',
    sata: { bus: 0, unit: 0 },
    backing: { type: 'CLIENT_DEVICE', device_access_type: 'PASSTHRU' },
    state: 'NOT_CONNECTED',
    start_connected: false,
    allow_guest_control: true,
  }
  return ok({
    name: vm.name,
    guest_OS: vm.os.id,
    power_state: vm.power,
    identity: { name: vm.name, bios_uuid: ids.biosUuid, instance_uuid: ids.instanceUuid },
    instant_clone_frozen: false,
    hardware: { version: 'VMX_19', upgrade_policy: 'NEVER', upgrade_status: 'NONE' },
    boot: {
      type: windows ? 'EFI' : 'BIOS',
      efi_legacy_boot: false,
      delay: 0,
      retry: false,
      retry_delay: 10000,
      enter_setup_mode: false,
    },
    boot_devices: [],
    cpu: { count: vm.cpuCount, cores_per_socket: 1, hot_add_enabled: false, hot_remove_enabled: false },
    memory: { size_MiB: vm.memoryMiB, hot_add_enabled: false },
    disks: new Map([['2000', disk]]),
    nics: new Map([['4000', nic]]),
    cdroms: new Map([['16000', cdrom]]),
    floppies: new Map(),
    parallel_ports: new Map(),
    serial_ports: new Map(),
    sata_adapters: new Map([['15000', { label: 'SATA controller 0', type: 'AHCI', bus: 0, pci_slot_number: 33 }]]),
    scsi_adapters: new Map([
      ['1000', { label: 'SCSI controller 0', type: 'PVSCSI', scsi: { bus: 0, unit: 7 }, sharing: 'NONE', pci_slot_number: 160 }],
    ]),
  })
}

/** GET vcenter/vm/{vm}/power. */
export function getPower(vm: Vm): Reply {
  return ok(vm.power === 'POWERED_OFF' ? { state: vm.power, clean_power_off: true } : { state: vm.power })
}

/** Hard power operations with the state machine of the reference. */
export function powerAction(state: LabState, vm: Vm, action: string): Reply {
  const to = (next: PowerState): Reply => {
    if (next !== 'POWERED_ON') {
      state.tickets.revokeVm(vm.id, 'WEBMKS')
      state.guests.powerChanged(vm)
    }
    vm.power = next
    return done
  }
  if (!['start', 'stop', 'reset', 'suspend'].includes(action)) throw invalidArgument(`Unknown power operation '${action}'.`, action)
  if (vm.busy) throw busy(state, vm)
  switch (action) {
    case 'start':
      if (vm.power === 'POWERED_ON') throw powerError(state, 'ALREADY_IN_DESIRED_STATE', vm, "Virtual machine '{vm}' is already powered on.")
      return to('POWERED_ON')
    case 'stop':
      if (vm.power === 'POWERED_OFF') throw powerError(state, 'ALREADY_IN_DESIRED_STATE', vm, "Virtual machine '{vm}' is already powered off.")
      return to('POWERED_OFF')
    case 'suspend':
      if (vm.power === 'SUSPENDED') throw powerError(state, 'ALREADY_IN_DESIRED_STATE', vm, "Virtual machine '{vm}' is already suspended.")
      if (vm.power === 'POWERED_OFF') throw powerError(state, 'NOT_ALLOWED_IN_CURRENT_STATE', vm, "Virtual machine '{vm}' is powered off and cannot be suspended.")
      return to('SUSPENDED')
    default:
      if (vm.power !== 'POWERED_ON') throw powerError(state, 'NOT_ALLOWED_IN_CURRENT_STATE', vm, "Virtual machine '{vm}' is not powered on and cannot be reset.")
      state.guests.powerChanged(vm)
      return done
  }
}

/** GET vcenter/vm/{vm}/guest/identity: 503 tools_not_running unless Tools answer. */
export function guestIdentity(state: LabState, vm: Vm): Reply {
  if (toolsState(vm, state.faults.toolsNotRunningFraction) === 'not_running') throw toolsNotRunning(state, vm)
  const hostName = vm.os.family === 'WINDOWS' ? vm.name.toUpperCase() : vm.name
  return ok({
    name: vm.os.id,
    family: vm.os.family,
    full_name: { id: vm.os.messageId, default_message: vm.os.fullName, args: [] },
    host_name: hostName,
    ip_address: vmIdentity(vm, state.seed).ip,
  })
}

/** GET vcenter/vm/{vm}/guest/power. */
export function guestPower(state: LabState, vm: Vm): Reply {
  const pending = state.guests.transition(vm.id)
  if (pending) return ok({ state: pending, operations_ready: false })
  const tools = toolsState(vm, state.faults.toolsNotRunningFraction)
  if (vm.power === 'SUSPENDED') return ok({ state: 'STANDBY', operations_ready: false })
  if (tools === 'not_running') return ok({ state: 'NOT_RUNNING', operations_ready: false })
  // Tools too old for guest operations still report the guest running.
  return ok({ state: 'RUNNING', operations_ready: tools === 'running' })
}

/** POST vcenter/vm/{vm}/guest/power?action=shutdown|reboot|standby: answers at once, lands later. */
export function guestPowerAction(state: LabState, vm: Vm, action: string | undefined): Reply {
  if (action !== 'shutdown' && action !== 'reboot' && action !== 'standby') {
    throw invalidArgument(`Unknown guest power operation '${action ?? ''}'.`, action ?? '')
  }
  if (vm.power !== 'POWERED_ON') {
    const ref = vmRef(state, vm)
    throw new VapiError('NOT_ALLOWED_IN_CURRENT_STATE', [
      message('com.vmware.api.vcenter.vm.guest.power.not_allowed_in_current_state', `Virtual machine '${ref}' is not powered on.`, ref),
    ])
  }
  const tools = toolsState(vm, state.faults.toolsNotRunningFraction)
  if (tools === 'not_running') throw toolsNotRunning(state, vm)
  if (tools === 'unsupported') throw unsupported(state, vm)
  if (vm.busy || state.guests.transition(vm.id)) throw busy(state, vm)
  state.guests.startTransition(vm, action, state.faults.guestPowerDelayMs, () => state.tickets.revokeVm(vm.id, 'WEBMKS'))
  return done
}

export function unsupported(state: LabState, vm: Vm): VapiError {
  const ref = vmRef(state, vm)
  return new VapiError('UNSUPPORTED', [
    message(
      'com.vmware.api.vcenter.vm.guest.operation_not_supported',
      `The operation is not supported by the VMware Tools in virtual machine '${ref}'.`,
      ref,
    ),
  ])
}

/** POST vcenter/vm/{vm}/console/tickets: /api body is the spec, /rest wraps it in `spec`. */
export function createTicket(state: LabState, call: Call, vmId: string): Reply {
  const vm = findVm(state, vmId)
  const body = call.body as Record<string, unknown> | undefined
  const spec = (call.style === 'rest' ? body?.spec : body) as Record<string, unknown> | undefined
  const type = spec?.type
  if (type !== 'WEBMKS' && type !== 'VMRC') {
    throw invalidArgument(`Console ticket type '${String(type)}' is not supported.`, String(type))
  }
  if (vm.inaccessible) {
    const ref = vmRef(state, vm)
    throw new VapiError('RESOURCE_INACCESSIBLE', [
      message('com.vmware.api.vcenter.vm.inaccessible', `Virtual machine with identifier '${ref}' is inaccessible.`, ref),
    ])
  }
  if (type === 'WEBMKS' && vm.power !== 'POWERED_ON') {
    const ref = vmRef(state, vm)
    throw new VapiError('NOT_ALLOWED_IN_CURRENT_STATE', [
      message(
        'com.vmware.api.vcenter.vm.console.tickets.not_allowed_in_current_state',
        `A WEBMKS ticket needs virtual machine '${ref}' powered on; it is ${vm.power}.`,
        ref,
      ),
    ])
  }
  const record = state.tickets.issue(vm.id, type, state.faults.consoleTicketId ?? undefined)
  const ticket =
    type === 'WEBMKS'
      ? `${state.webmksBase()}/ticket/${record.id}`
      : `vmrc://clone:cst-VCT-${record.id}--tp-${state.thumbprint()}@${state.authority()}/?moid=${vm.id}`
  return created({ ticket })
}
