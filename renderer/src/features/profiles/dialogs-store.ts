import { create } from 'zustand'

/** The profile dialog on screen, if any (one at a time: they are modal). */
export type ProfileDialog =
  | { kind: 'add' }
  | { kind: 'edit'; id: string }
  | { kind: 'delete'; id: string }
  | { kind: 'import' }
  | { kind: 'export'; ids?: readonly string[] }

export interface ProfileDialogsState {
  dialog: ProfileDialog | null
  open(dialog: ProfileDialog): void
  close(): void
}

export const useProfileDialogs = create<ProfileDialogsState>()((set) => ({
  dialog: null,
  open: (dialog) => set({ dialog }),
  close: () => set({ dialog: null }),
}))
