import { useState, type KeyboardEvent, type Ref } from 'react'
import { EyeIcon } from './vault-icons'

export interface PasswordFieldProps {
  id: string
  label: string
  value: string
  onChange(value: string): void
  autoComplete: 'current-password' | 'new-password' | 'off'
  error?: string | undefined
  /** Ids of extra descriptions (a strength meter, a hint). */
  describedBy?: string | undefined
  autoFocus?: boolean
  inputRef?: Ref<HTMLInputElement>
  /** Offer a "show" toggle (off for fields where the value must never be shown, e.g. a stored secret). */
  revealable?: boolean
  placeholder?: string
  name?: string
}

/** A password input with its label, an optional show/hide toggle and its error under it. */
export function PasswordField({ id, label, value, onChange, autoComplete, error, describedBy, autoFocus, inputRef, revealable = true, placeholder, name }: PasswordFieldProps) {
  const [shown, setShown] = useState(false)
  // Caps Lock is the usual reason a right password is refused: say so while typing.
  const [capsLock, setCapsLock] = useState(false)
  const errorId = `${id}-error`
  const capsId = `${id}-caps`
  const described = [error ? errorId : undefined, capsLock ? capsId : undefined, describedBy].filter(Boolean).join(' ') || undefined
  const readCapsLock = (e: KeyboardEvent<HTMLInputElement>): void => setCapsLock(e.getModifierState('CapsLock'))
  function onKeyDown(e: KeyboardEvent<HTMLInputElement>): void {
    readCapsLock(e)
    // The toggle is out of the Tab order; Alt+F8 (as in Windows' password boxes) reveals from the keyboard.
    if (revealable && e.altKey && !e.ctrlKey && !e.metaKey && e.key === 'F8') {
      e.preventDefault()
      setShown((s) => !s)
    }
  }
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <div className="password-input">
        <input
          ref={inputRef}
          id={id}
          name={name ?? id}
          className="input"
          type={shown ? 'text' : 'password'}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          autoComplete={autoComplete}
          autoFocus={autoFocus}
          data-autofocus={autoFocus || undefined}
          spellCheck={false}
          autoCapitalize="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={described}
          placeholder={placeholder}
          onKeyDown={onKeyDown}
          onKeyUp={readCapsLock}
          onBlur={() => setCapsLock(false)}
        />
        {revealable && (
          <button
            type="button"
            className="icon-button password-reveal"
            aria-label={`Show ${label.toLowerCase()}`}
            aria-pressed={shown}
            title={shown ? 'Hide (Alt+F8)' : 'Show (Alt+F8)'}
            onClick={() => setShown((s) => !s)}
            // Out of the Tab order so Tab goes field to field; keyboard users press Alt+F8 in the field.
            tabIndex={-1}
          >
            <EyeIcon />
          </button>
        )}
      </div>
      {capsLock && (
        <p className="field-help password-caps" id={capsId}>
          Caps Lock is on.
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  )
}
