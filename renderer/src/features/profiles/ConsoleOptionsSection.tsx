import { keyboardLayout } from '../../../../contract/keyboard'
import { LAYOUT_OPTIONS, type ConsoleForm } from './console-options'

/** The profile form's "Console" section: how this connection's consoles type and share the clipboard. */
export function ConsoleOptionsSection({ value, onChange }: { value: ConsoleForm; onChange: (next: ConsoleForm) => void }) {
  const set = <K extends keyof ConsoleForm>(key: K, v: ConsoleForm[K]): void => onChange({ ...value, [key]: v })
  return (
    <details className="profile-more profile-console">
      <summary>Console</summary>
      <label className="field">
        <span className="field-label">Guest keyboard layout</span>
        <select value={value.keyboardLayout} onChange={(e) => set('keyboardLayout', e.target.value as ConsoleForm['keyboardLayout'])}>
          {LAYOUT_OPTIONS.map((id) => (
            <option key={id} value={id}>
              {id === 'auto' ? 'Auto (this computer’s layout)' : `${id} — ${keyboardLayout(id).name}`}
            </option>
          ))}
        </select>
      </label>
      <label className="choice">
        <input type="checkbox" checked={value.cmdAsCtrl} onChange={(e) => set('cmdAsCtrl', e.target.checked)} />
        <span>
          Cmd acts as Ctrl
          <span className="choice-hint">On a Mac: Cmd+C reaches the VM as Ctrl+C.</span>
        </span>
      </label>
      <label className="choice">
        <input type="checkbox" checked={value.clipboardToGuest} onChange={(e) => set('clipboardToGuest', e.target.checked)} />
        <span>Send this computer’s clipboard to the VM</span>
      </label>
      <label className="choice">
        <input type="checkbox" checked={value.clipboardFromGuest} onChange={(e) => set('clipboardFromGuest', e.target.checked)} />
        <span>
          Let the VM’s clipboard reach this computer
          <span className="choice-hint">Off by default: whatever is copied in the VM would land in your clipboard.</span>
        </span>
      </label>
      <label className="field">
        <span className="field-label">Key sequences (one a line: Label = keys)</span>
        <textarea
          rows={3}
          value={value.keySequences}
          placeholder={'Console 2 = {Ctrl+Alt+F2}\nSingle user = linux single{Enter}'}
          onChange={(e) => set('keySequences', e.target.value)}
        />
      </label>
    </details>
  )
}
