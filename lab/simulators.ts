import type { Simulator } from './simulator'
import { consolesSimulator } from './consoles/simulator'
import { openstackSimulator } from './openstack/simulator'
import { vsphereSimulator } from './vsphere/simulator'
import { zstackSimulator } from './zstack/simulator'

/** Every simulator the lab runner starts; each provider's issue adds its own here. */
export const simulators: Simulator[] = [vsphereSimulator, openstackSimulator, zstackSimulator, consolesSimulator]
