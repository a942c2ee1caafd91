import type { ProfileExportFile } from '../../../../contract/profiles'

/** The export's bytes from its base64 (the file is already encrypted under the export password). */
export function exportBytes(file: ProfileExportFile): Uint8Array<ArrayBuffer> {
  const binary = atob(file.data)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** A file name the OS accepts: no separators or reserved characters, never empty. */
export function safeFileName(name: string): string {
  const visible = [...name].map((c) => ((c.codePointAt(0) ?? 0) < 0x20 ? '_' : c)).join('')
  const cleaned = visible.replace(/[\\/:*?"<>|]/g, '_').replace(/^\.+/, '').trim()
  return cleaned === '' ? 'porthole-export.json' : cleaned.slice(0, 200)
}

/**
 * An object URL for the export and the name to save it under. `<a download href=blob:…>` saves
 * without navigating (CSP's navigation rules do not apply to downloads, and Electron's request
 * guard allows blob:); the caller revokes the URL when the dialog closes.
 */
export function exportDownload(file: ProfileExportFile): { url: string; fileName: string } {
  const blob = new Blob([exportBytes(file)], { type: 'application/octet-stream' })
  return { url: URL.createObjectURL(blob), fileName: safeFileName(file.fileName) }
}

/** What an import file's content goes to main as: its text when it is UTF-8 JSON, else base64 of its bytes. */
export function importContent(bytes: Uint8Array): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    if (text.trimStart().startsWith('{')) return text
  } catch {
    // Not UTF-8: send the bytes.
  }
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}
