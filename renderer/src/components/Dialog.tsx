import { useEffect, useId, useRef, type FormEvent, type ReactNode, type RefObject } from 'react'
import { CloseIcon } from './icons'
import './dialog.css'

export interface DialogProps {
  title: string
  /** One line under the title. */
  description?: ReactNode
  children: ReactNode
  /** The buttons row at the bottom (right-aligned, primary last). */
  footer?: ReactNode
  /** Escape, the close button and a click on the backdrop; absent while something must not be interrupted. */
  onClose?: (() => void) | undefined
  /** Wraps the body in a form: Enter in a field submits (the primary button should be type="submit"). */
  onSubmit?: (() => void) | undefined
  size?: 'small' | 'medium' | 'large'
  /** 'danger' gives the title a warning colour (delete, replace a pinned certificate). */
  tone?: 'normal' | 'danger'
  /** The element to focus when it opens; else one marked `data-autofocus`, else the first field, else the first footer button. */
  initialFocus?: RefObject<HTMLElement | null>
}

/**
 * A modal dialog on the platform's own <dialog>: showModal() makes the rest of the window
 * inert, traps Tab, and Escape cancels; the focus goes back where it was when it closes.
 */
export function Dialog({ title, description, children, footer, onClose, onSubmit, size = 'medium', tone = 'normal', initialFocus }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const descriptionId = useId()
  const onCloseRef = useRef(onClose)
  onCloseRef.current = onClose

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const previous = document.activeElement
    if (!dialog.open) dialog.showModal()
    // showModal() alone would focus the first focusable element: the header's close button.
    const target =
      initialFocus?.current ??
      dialog.querySelector<HTMLElement>('[data-autofocus]') ??
      dialog.querySelector<HTMLElement>('.dialog-body :is(input, select, textarea):not([disabled]):not([type="hidden"])') ??
      dialog.querySelector<HTMLElement>('.dialog-footer button')
    target?.focus()
    return () => {
      if (dialog.open) dialog.close()
      // Back to where the user was, if that is still on the page (a deleted row is not).
      if (previous instanceof HTMLElement && previous.isConnected) previous.focus()
    }
    // Opening is a mount-time effect: the focus target is read once.
  }, [])

  function submit(e: FormEvent): void {
    e.preventDefault()
    onSubmit?.()
  }

  const body = (
    <>
      <header className="dialog-header">
        <h2 id={titleId} className={tone === 'danger' ? 'dialog-title dialog-title-danger' : 'dialog-title'}>
          {title}
        </h2>
        {onClose && (
          <button type="button" className="icon-button" aria-label="Close" title="Close (Esc)" onClick={onClose}>
            <CloseIcon />
          </button>
        )}
      </header>
      {description && (
        <p id={descriptionId} className="dialog-description">
          {description}
        </p>
      )}
      <div className="dialog-body">{children}</div>
      {footer && <footer className="dialog-footer">{footer}</footer>}
    </>
  )

  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size}`}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(e) => {
        // Escape: the owner decides (it unmounts the dialog); a dialog without onClose stays.
        e.preventDefault()
        onCloseRef.current?.()
      }}
      onMouseDown={(e) => {
        // A press on the backdrop (the dialog element itself, outside its content box).
        if (e.target === ref.current && onCloseRef.current) {
          const r = ref.current.getBoundingClientRect()
          const inside = e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom
          if (!inside) onCloseRef.current()
        }
      }}
    >
      {onSubmit ? (
        <form className="dialog-form" onSubmit={submit} noValidate>
          {body}
        </form>
      ) : (
        <div className="dialog-form">{body}</div>
      )}
    </dialog>
  )
}
