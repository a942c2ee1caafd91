import { useEffect, useRef } from 'react'
import { useInventory } from './store'
import { useInventoryUi } from './ui-store'

/** How many VM names the confirmation lists before "and N more". */
const NAMES_SHOWN = 8

/** Asks before a destructive power action, naming the VMs it will hit. Cancel has the focus. */
export function ConfirmPowerDialog() {
  const confirm = useInventoryUi((s) => s.confirm)
  const ref = useRef<HTMLDialogElement>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (confirm && !dialog.open) {
      dialog.showModal()
      cancelRef.current?.focus()
    } else if (!confirm && dialog.open) dialog.close()
  }, [confirm])

  const close = (): void => useInventoryUi.setState({ confirm: null })
  const run = (): void => {
    if (!confirm) return
    close()
    void useInventory.getState().power(
      confirm.targets.map((t) => t.key),
      confirm.spec.action,
    )
  }
  const n = confirm?.targets.length ?? 0
  const names = confirm?.targets.slice(0, NAMES_SHOWN).map((t) => t.name) ?? []

  return (
    <dialog ref={ref} className="vm-confirm" aria-labelledby="vm-confirm-title" aria-describedby="vm-confirm-warning" onClose={close}>
      {confirm && (
        <form method="dialog" onSubmit={(e) => e.preventDefault()}>
          <h2 id="vm-confirm-title">
            {confirm.spec.verb} {n === 1 ? names[0] : `${n} VMs`}?
          </h2>
          <p id="vm-confirm-warning">{confirm.spec.warning}</p>
          {n > 1 && (
            <ul className="vm-confirm-names" aria-label="VMs">
              {names.map((name) => (
                <li key={name}>{name}</li>
              ))}
              {n > NAMES_SHOWN && <li className="vm-confirm-more">and {n - NAMES_SHOWN} more</li>}
            </ul>
          )}
          <div className="vm-confirm-actions">
            <button type="button" className="button button-secondary" ref={cancelRef} onClick={close}>
              <span>Cancel</span>
            </button>
            <button type="button" className="button vm-confirm-go" onClick={run}>
              <span>{n === 1 ? confirm.spec.verb : `${confirm.spec.verb} ${n} VMs`}</span>
            </button>
          </div>
        </form>
      )}
    </dialog>
  )
}
