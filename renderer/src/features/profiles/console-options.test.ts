import { describe, expect, it } from 'vitest'
import { ProfilePatch, ProfileInput } from '../../../../contract/profiles'
import { consoleFields, consolePatch, emptyConsoleForm, parseSequenceLines } from './console-options'
import { emptyForm, inputFromForm, patchFromForm } from './profile-form'

describe('profile form: console options', () => {
  it('reads "Label = keys" lines, a bare line being its own label', () => {
    expect(parseSequenceLines('Console 2 = {Ctrl+Alt+F2}\n\n  root{Enter}  \nBoot = linux single = 1{Enter}')).toEqual([
      { label: 'Console 2', keys: '{Ctrl+Alt+F2}' },
      { label: 'root{Enter}', keys: 'root{Enter}' },
      { label: 'Boot', keys: 'linux single = 1{Enter}' },
    ])
  })

  it('a new profile carries only what differs from the defaults; an edit carries everything', () => {
    expect(consoleFields(emptyConsoleForm())).toEqual({})
    const form = { ...emptyForm('vnc'), name: 'kvm', host: '127.0.0.1', port: '5901', console: { ...emptyConsoleForm(), keyboardLayout: 'de' as const, cmdAsCtrl: true, keySequences: 'F2 = {Ctrl+Alt+F2}' } }
    const input = inputFromForm(form)
    expect(input.ok && input.value).toEqual({ kind: 'vnc', name: 'kvm', host: '127.0.0.1', port: 5901, keyboardLayout: 'de', cmdAsCtrl: true, keySequences: [{ label: 'F2', keys: '{Ctrl+Alt+F2}' }] })
    expect(ProfileInput.safeParse(input.ok && input.value).success).toBe(true)
    const original = { kind: 'vnc' as const, name: 'kvm', host: '127.0.0.1', port: 5901, keyboardLayout: 'de' as const, id: crypto.randomUUID(), hasSecret: false, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() }
    const patch = patchFromForm({ ...form, console: emptyConsoleForm() }, original)
    expect(patch.ok && patch.value).toMatchObject(consolePatch(emptyConsoleForm()))
    expect(patch.ok && patch.value).toMatchObject({ keyboardLayout: 'auto', keySequences: [] })
    expect(ProfilePatch.safeParse(patch.ok && patch.value).success).toBe(true)
  })
})
