import { create } from 'zustand'
import { WireError, isPortholeError } from '../../../contract/errors'
import { connectionLost } from '../api'

export type NoticeKind = 'error' | 'info'

export interface Notice {
  readonly id: number
  readonly kind: NoticeKind
  readonly message: string
  /** The contract's error code, shown so an operator can quote it. */
  readonly code?: string
  /** How many times the same notice arrived while it was showing. */
  readonly count: number
  /** What makes two notices "the same"; see NoticeInput.key. */
  readonly key: string
}

export interface NoticeInput {
  kind: NoticeKind
  message: string
  code?: string
  /**
   * Notices with the same key are one notice: a repeat counts up and shows the newest
   * message (an INTERNAL error's incident id changes every time). Defaults to kind, code and message.
   */
  key?: string
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
    const key = input.key ?? `${input.kind}|${input.code ?? ''}|${input.message}`
    const same = get().notices.find((n) => n.key === key)
    if (same) {
      // A repeated failure (a poll that keeps failing) bumps a counter instead of stacking copies.
      const repeat = { ...same, message: input.message, count: same.count + 1 }
      set(({ notices }) => ({ notices: notices.map((n) => (n === same ? repeat : n)) }))
      return same.id
    }
    const notice: Notice = { id: nextId++, kind: input.kind, message: input.message, count: 1, key, ...(input.code ? { code: input.code } : {}) }
    set(({ notices }) => ({ notices: [...notices, notice].slice(-MAX_NOTICES) }))
    if (notice.kind === 'info') setTimeout(() => get().dismiss(notice.id), INFO_TIMEOUT_MS)
    return notice.id
  },
  dismiss(id) {
    set(({ notices }) => ({ notices: notices.filter((n) => n.id !== id) }))
  },
}))

/**
 * Shows an error from the host (a PortholeError or a wire error) or anything else thrown,
 * with its code when it has one. The same code in the same context is one notice that counts up.
 */
export function notifyError(error: unknown, context?: string): number {
  const prefix = context ? `${context}: ` : ''
  const push = (message: string, code: string): number =>
    useNotify.getState().push({ kind: 'error', message: prefix + message, code, key: `error|${code}|${context ?? message}` })
  if (isPortholeError(error)) return push(error.message, error.code)
  const wire = WireError.safeParse(error)
  if (wire.success) return push(wire.data.message, wire.data.code)
  const message = error instanceof Error ? error.message : String(error)
  return useNotify.getState().push({ kind: 'error', message: prefix + message })
}

/**
 * notifyError for a load the app started by itself (the inventory, the connections, the
 * preferences): nothing once the host is gone, which the shell says once (status bar and notice),
 * not again for every load that was on its way.
 */
export function notifyLoadError(error: unknown, context: string): void {
  if (connectionLost()) return
  notifyError(error, context)
}

export function notifyInfo(message: string): number {
  return useNotify.getState().push({ kind: 'info', message })
}
