import { isPortholeError } from '../../../../contract/errors'
import { invoke } from '../../api'
import { notifyError, notifyInfo, useNotify } from '../../store/notify'
import { withTlsPrompt } from '../tls/with-tls-prompt'
import { useVault } from '../vault/store'
import { useProfileDialogs } from './dialogs-store'
import { useProfiles } from './store'

export function addConnection(): void {
  // Ctrl+N on the lock screen must not leave a dialog waiting behind it, nor replace a dialog
  // that is open (its typing would be lost).
  if (useVault.getState().status?.state !== 'unlocked') return
  if (document.querySelector('dialog[open]')) return
  useProfileDialogs.getState().open({ kind: 'add' })
}

export function editProfile(id: string): void {
  useProfileDialogs.getState().open({ kind: 'edit', id })
}

export function confirmDeleteProfile(id: string): void {
  useProfileDialogs.getState().open({ kind: 'delete', id })
}

export function importProfiles(): void {
  useProfileDialogs.getState().open({ kind: 'import' })
}

export function exportProfiles(ids?: readonly string[]): void {
  useProfileDialogs.getState().open(ids ? { kind: 'export', ids } : { kind: 'export' })
}

function nameOf(id: string): string {
  return useProfiles.getState().profiles.find((p) => p.id === id)?.name ?? 'the connection'
}

export async function duplicateProfile(id: string): Promise<string | undefined> {
  try {
    const copy = await invoke('profiles.duplicate', { id })
    notifyInfo(`Duplicated as “${copy.name}”.`)
    return copy.id
  } catch (err) {
    notifyError(err, `Could not duplicate “${nameOf(id)}”`)
    return undefined
  }
}

/** Logs in with the profile (through the TLS prompt when its certificate is new) and says how it went. */
export async function testProfile(id: string): Promise<void> {
  const name = nameOf(id)
  const pending = notifyInfo(`Testing “${name}”…`)
  try {
    const result = await withTlsPrompt(id, () => invoke('profiles.test', { id }), { profileName: name })
    notifyInfo(`“${name}” works: ${result.message} (${Math.round(result.durationMs)} ms)`)
  } catch (err) {
    // Declining the certificate is the user's own choice, not a failure to report.
    if (isPortholeError(err) && err.code === 'CANCELLED') return
    notifyError(err, `Testing “${name}” failed`)
  } finally {
    useNotify.getState().dismiss(pending)
  }
}
