// Copying text. navigator.clipboard.writeText needs the 'clipboard-sanitized-write' permission,
// which Electron decides in the session's permission *check* handler: main/electron's
// hardenSession answers every check with false, so in Electron writeText rejects. The fallback
// (a selected hidden textarea and execCommand('copy') inside the user's click) needs no
// permission. The browser harness takes the first path.

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
