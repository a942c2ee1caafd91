import { create } from 'zustand'

/** The vault dialog on screen while unlocked: its settings, or the master password change. */
export type VaultPanel = 'settings' | 'change-password'

export interface VaultPanelsState {
  panel: VaultPanel | null
  open(panel: VaultPanel): void
  close(): void
}

export const useVaultPanels = create<VaultPanelsState>()((set) => ({
  panel: null,
  open: (panel) => set({ panel }),
  close: () => set({ panel: null }),
}))
