import type { ReactNode, Ref } from 'react'

export interface TextFieldProps {
  id: string
  label: string
  value: string
  onChange(value: string): void
  error?: string | undefined
  help?: ReactNode
  optional?: boolean
  placeholder?: string
  inputRef?: Ref<HTMLInputElement>
  inputMode?: 'text' | 'numeric' | 'url'
  mono?: boolean
  autoFocus?: boolean
  disabled?: boolean
}

/** A labelled text input with its help and its error (announced through aria-describedby). */
export function TextField({ id, label, value, onChange, error, help, optional, placeholder, inputRef, inputMode, mono, autoFocus, disabled }: TextFieldProps) {
  const helpId = `${id}-help`
  const errorId = `${id}-error`
  const described = [error ? errorId : undefined, help ? helpId : undefined].filter(Boolean).join(' ') || undefined
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
        {optional && <span className="field-optional"> (optional)</span>}
      </label>
      <input
        ref={inputRef}
        id={id}
        className={mono ? 'input input-mono' : 'input'}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        inputMode={inputMode}
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="off"
        autoFocus={autoFocus}
        data-autofocus={autoFocus || undefined}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
      />
      {help && (
        <p className="field-help" id={helpId}>
          {help}
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
