import { create } from 'zustand'
import { WireError, isPortholeError } from '../../../contract/errors'

export type NoticeKind = 'error' | 'info'

export interface Notice {
  readonly id: number
  readonly kind: NoticeKind
  readonly message: string
  /** The contract's error code, shown so an operator can quote it. */
  readonly code?: string
  /** How many times the same notice arrived while it was showing. */
  readonly count: number
}

export interface NoticeInput {
  kind: NoticeKind
  message: string
  code?: string
}

/** Older notices beyond this are dropped: the area must never cover the work. */
export const MAX_NOTICES = 4
/** Info notices go away on their own; errors stay until dismissed. */
export const INFO_TIMEOUT_MS = 6000

export interface NotifyState {
  notices: readonly Notice[]
  push(input: NoticeInput): number
  dismiss(id: number): void
}

let nextId = 1

export const useNotify = create<NotifyState>()((set, get) => ({
  notices: [],
  push(input) {
    const same = get().notices.find((n) => n.kind === input.kind && n.message === input.message && n.code === input.code)
    if (same) {
      // A repeated failure (a poll that keeps failing) bumps a counter instead of stacking copies.
      set(({ notices }) => ({ notices: notices.map((n) => (n === same ? { ...n, count: n.count + 1 } : n)) }))
      return same.id
    }
    const notice: Notice = { id: nextId++, kind: input.kind, message: input.message, count: 1, ...(input.code ? { code: input.code } : {}) }
    set(({ notices }) => ({ notices: [...notices, notice].slice(-MAX_NOTICES) }))
    if (notice.kind === 'info') setTimeout(() => get().dismiss(notice.id), INFO_TIMEOUT_MS)
    return notice.id
  },
  dismiss(id) {
    set(({ notices }) => ({ notices: notices.filter((n) => n.id !== id) }))
  },
}))

/** Shows an error from the host (a PortholeError or a wire error) or anything else thrown, with its code when it has one. */
export function notifyError(error: unknown, context?: string): number {
  const prefix = context ? `${context}: ` : ''
  if (isPortholeError(error)) return useNotify.getState().push({ kind: 'error', message: prefix + error.message, code: error.code })
  const wire = WireError.safeParse(error)
  if (wire.success) return useNotify.getState().push({ kind: 'error', message: prefix + wire.data.message, code: wire.data.code })
  const message = error instanceof Error ? error.message : String(error)
  return useNotify.getState().push({ kind: 'error', message: prefix + message })
}

export function notifyInfo(message: string): number {
  return useNotify.getState().push({ kind: 'info', message })
}
