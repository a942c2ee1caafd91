// Copying text. navigator.clipboard.writeText needs the 'clipboard-sanitized-write' permission,
// which Electron decides in the session's permission handlers: main/electron's hardenSession
// grants it to the app's own top frame only. writeText can still reject (the document lost
// focus, a browser that refuses it), so the fallback stays: a selected hidden textarea and
// execCommand('copy') inside the user's click, which needs no permission.

/** Puts text on the clipboard; resolves false when neither way worked. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    return copyWithSelection(text)
  }
}

function copyWithSelection(text: string): boolean {
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.setAttribute('aria-hidden', 'true')
  // Off screen but laid out, and `pre` so the copy keeps tabs (a nowrap class turns them into spaces).
  area.style.position = 'fixed'
  area.style.left = '-10000px'
  area.style.top = '0'
  area.style.whiteSpace = 'pre'
  const previous = document.activeElement
  document.body.append(area)
  area.select()
  let copied: boolean
  try {
    copied = document.execCommand('copy')
  } catch {
    copied = false
  }
  area.remove()
  if (previous instanceof HTMLElement) previous.focus()
  return copied
}
