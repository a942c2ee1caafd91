// The "Console" section of the profile form: guest keyboard layout, Cmd as Ctrl, clipboard
// directions and key sequences, as form text and as the profile fields they become.
import { KEYBOARD_LAYOUTS, type KeyboardLayoutId } from '../../../../contract/keyboard'
import type { ConsoleKeySequence, ProfileSummary } from '../../../../contract/profiles'

export interface ConsoleForm {
  keyboardLayout: 'auto' | KeyboardLayoutId
  cmdAsCtrl: boolean
  clipboardToGuest: boolean
  clipboardFromGuest: boolean
  /** One sequence a line: "Label = keys" (keys: text with chords in braces, e.g. "root{Enter}"). */
  keySequences: string
}

export const LAYOUT_OPTIONS: ReadonlyArray<'auto' | KeyboardLayoutId> = ['auto', ...KEYBOARD_LAYOUTS]

export function emptyConsoleForm(): ConsoleForm {
  return { keyboardLayout: 'auto', cmdAsCtrl: false, clipboardToGuest: true, clipboardFromGuest: false, keySequences: '' }
}

export function consoleFormFrom(p: ProfileSummary): ConsoleForm {
  return {
    keyboardLayout: p.keyboardLayout ?? 'auto',
    cmdAsCtrl: p.cmdAsCtrl ?? false,
    clipboardToGuest: p.clipboardToGuest ?? true,
    clipboardFromGuest: p.clipboardFromGuest ?? false,
    keySequences: (p.keySequences ?? []).map((s) => `${s.label} = ${s.keys}`).join('\n'),
  }
}

/** "Label = keys" lines; a line without " = " is its own label. Blank lines are skipped. */
export function parseSequenceLines(text: string): ConsoleKeySequence[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const at = line.indexOf(' = ')
      return at > 0 ? { label: line.slice(0, at).trim().slice(0, 60), keys: line.slice(at + 3) } : { label: line.slice(0, 60), keys: line }
    })
}

/** The console fields of a new profile: only those that differ from the defaults. */
export function consoleFields(form: ConsoleForm): Record<string, unknown> {
  const fields: Record<string, unknown> = {}
  if (form.keyboardLayout !== 'auto') fields['keyboardLayout'] = form.keyboardLayout
  if (form.cmdAsCtrl) fields['cmdAsCtrl'] = true
  if (!form.clipboardToGuest) fields['clipboardToGuest'] = false
  if (form.clipboardFromGuest) fields['clipboardFromGuest'] = true
  const sequences = parseSequenceLines(form.keySequences)
  if (sequences.length > 0) fields['keySequences'] = sequences
  return fields
}

/** The console fields of an edit: all of them, so a choice set back to its default is saved too. */
export function consolePatch(form: ConsoleForm): Record<string, unknown> {
  return {
    keyboardLayout: form.keyboardLayout,
    cmdAsCtrl: form.cmdAsCtrl,
    clipboardToGuest: form.clipboardToGuest,
    clipboardFromGuest: form.clipboardFromGuest,
    keySequences: parseSequenceLines(form.keySequences),
  }
}
