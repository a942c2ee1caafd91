import { create } from 'zustand'
import type { TlsUntrustedDetail } from '../../../../contract/tls'

export interface TlsQuestion {
  id: number
  profileId: string
  /** The profile's name, to say whose server this is. */
  profileName?: string | undefined
  detail: TlsUntrustedDetail
  /** Resolves true once the certificate is trusted (tls.trust succeeded), false when the user declined. */
  resolve(trusted: boolean): void
}

export interface TlsPromptState {
  /** First in line is on screen; more wait their turn (two connections refused at once). */
  queue: readonly TlsQuestion[]
  /** Shows the prompt for a refused certificate; resolves when the user decided. */
  ask(profileId: string, detail: TlsUntrustedDetail, profileName?: string): Promise<boolean>
  /** Called by the prompt with the user's answer. */
  answer(id: number, trusted: boolean): void
  /** Declines everything (the vault locked: nothing may be trusted without it). */
  dismissAll(): void
}

let nextId = 1

function sameCertificate(a: TlsUntrustedDetail, b: TlsUntrustedDetail): boolean {
  return a.host === b.host && a.port === b.port && a.reason === b.reason && a.fingerprint256.toUpperCase() === b.fingerprint256.toUpperCase()
}

export const useTlsPrompt = create<TlsPromptState>()((set, get) => ({
  queue: [],
  ask(profileId, detail, profileName) {
    return new Promise<boolean>((resolve) => {
      // The same refusal asked twice (a test and the inventory's connect at once) is one question.
      const same = get().queue.find((q) => q.profileId === profileId && sameCertificate(q.detail, detail))
      if (same) {
        const first = same.resolve
        same.resolve = (trusted) => {
          first(trusted)
          resolve(trusted)
        }
        return
      }
      const question: TlsQuestion = { id: nextId++, profileId, profileName, detail, resolve }
      set(({ queue }) => ({ queue: [...queue, question] }))
    })
  },
  answer(id, trusted) {
    const question = get().queue.find((q) => q.id === id)
    if (!question) return
    set(({ queue }) => ({ queue: queue.filter((q) => q.id !== id) }))
    question.resolve(trusted)
  },
  dismissAll() {
    const { queue } = get()
    set({ queue: [] })
    for (const q of queue) q.resolve(false)
  },
}))
