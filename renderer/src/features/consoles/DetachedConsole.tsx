import { Notices } from '../../components/Notices'
import { useAppliedTheme } from '../../app/theme'
import { TlsPromptHost } from '../tls/TlsPrompt'
import { VaultGate } from '../vault/VaultGate'
import { ConsoleTab, type ConsoleTabParams } from './ConsoleTab'

/** The whole page of a detached console window: the console, behind the vault like everything else. */
export function DetachedConsole({ params }: { params: ConsoleTabParams }) {
  useAppliedTheme()
  const title = params.protocol === 'serial' ? `${params.name} (serial)` : params.name
  document.title = `${title} — Porthole`
  return (
    <>
      <VaultGate>
        <div className="detached-console">
          <ConsoleTab tab={{ id: `detached:${params.ref.connectionId}/${params.ref.id}/${params.protocol}`, kind: 'console', title, params, closable: false }} active />
        </div>
        <TlsPromptHost />
      </VaultGate>
      <Notices />
    </>
  )
}
