import { useEffect } from 'react'
import { TlsPromptHost } from '../tls/TlsPrompt'
import { useTlsPrompt } from '../tls/prompt-store'
import { DeleteProfileDialog } from './DeleteProfileDialog'
import { ExportDialog } from './ExportDialog'
import { ImportDialog } from './ImportDialog'
import { ProfileFormDialog } from './ProfileFormDialog'
import { focusConnection, focusAfterDelete } from './connection-focus'
import { useProfileDialogs } from './dialogs-store'
import { useProfiles } from './store'
import './profiles.css'

/**
 * Mounted while the vault is unlocked (inside VaultGate): loads and follows the profiles, and
 * shows the profile dialogs and the certificate prompt. Unmounted by a lock, it drops the list,
 * closes every dialog and declines waiting certificate questions.
 */
export function ProfilesRoot() {
  useEffect(() => {
    const stop = useProfiles.getState().follow()
    return () => {
      stop()
      useProfileDialogs.getState().close()
      useTlsPrompt.getState().dismissAll()
    }
  }, [])
  return (
    <>
      <ProfileDialogHost />
      <TlsPromptHost />
    </>
  )
}

function ProfileDialogHost() {
  const dialog = useProfileDialogs((s) => s.dialog)
  const close = useProfileDialogs((s) => s.close)
  const profiles = useProfiles((s) => s.profiles)
  if (!dialog) return null
  switch (dialog.kind) {
    case 'add':
      return <ProfileFormDialog onClose={close} onSaved={focusConnection} />
    case 'edit': {
      const profile = profiles.find((p) => p.id === dialog.id)
      return profile ? <ProfileFormDialog key={profile.id} profile={profile} onClose={close} onSaved={focusConnection} /> : null
    }
    case 'delete': {
      const profile = profiles.find((p) => p.id === dialog.id)
      const index = profiles.findIndex((p) => p.id === dialog.id)
      return profile ? <DeleteProfileDialog profile={profile} onClose={close} onDeleted={() => focusAfterDelete(index)} /> : null
    }
    case 'import':
      return <ImportDialog onClose={close} />
    case 'export':
      return <ExportDialog initial={dialog.ids} onClose={close} />
  }
}
