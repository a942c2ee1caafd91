import { useId, type ReactNode } from 'react'
import type { IconComponent } from './icons'

export interface ButtonProps {
  children: ReactNode
  icon?: IconComponent
  variant?: 'primary' | 'secondary' | 'ghost'
  onClick?: (() => void) | undefined
  /**
   * Set when the action cannot run yet: the button stays focusable (aria-disabled, not
   * disabled) and says why, in its tooltip and in a visible hint under it, so nobody
   * wonders whether it is broken.
   */
  unavailable?: string | undefined
  /** Show the `unavailable` reason as text under the button as well as in the tooltip. */
  showHint?: boolean
  title?: string
}

/** The app's button: one look for every action, and an honest "not yet" state. */
export function Button({ children, icon: Icon, variant = 'secondary', onClick, unavailable, showHint = false, title }: ButtonProps) {
  const hintId = useId()
  const disabled = unavailable !== undefined || onClick === undefined
  const button = (
    <button
      type="button"
      className={`button button-${variant}`}
      aria-disabled={disabled || undefined}
      aria-describedby={unavailable && showHint ? hintId : undefined}
      title={unavailable ?? title}
      onClick={disabled ? undefined : onClick}
    >
      {Icon && <Icon />}
      <span>{children}</span>
    </button>
  )
  if (!(unavailable && showHint)) return button
  return (
    <span className="button-with-hint">
      {button}
      <span className="button-hint" id={hintId}>
        {unavailable}
      </span>
    </span>
  )
}
