/** One local stand-in for a provider (or a console source), as the lab runner starts it. */
export interface Simulator {
  /** Short name: 'vsphere', 'openstack', 'zstack', 'consoles'. */
  name: string
  start(options: SimulatorOptions): Promise<RunningSimulator>
}

export interface SimulatorOptions {
  /** Number of VMs to seed. */
  vms: number
  /** Deterministic seed: the same seed gives the same inventory. */
  seed: number
  /** Where a simulator may keep generated certificates and state. */
  dataDir: string
}

export interface RunningSimulator {
  name: string
  /** What a user types into "Add connection", e.g. { api: 'https://127.0.0.1:8443', user: '…', password: '…' }. */
  endpoints: Record<string, string>
  stop(): Promise<void>
}
