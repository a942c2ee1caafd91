// The committed layout data (contract/keyboard/xkb-layouts.json) is what the generator makes from the
// installed xkb-data, Compose file, keysymdef.h and noVNC: regenerating it changes nothing. CI installs
// those packages (.ci/run); elsewhere the check skips with a message.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { OUTPUT, formatLayouts, generateLayouts } from '../../scripts/gen-keyboard-layouts'

const NEEDED = ['/usr/share/X11/xkb/symbols/us', '/usr/share/X11/locale/en_US.UTF-8/Compose', '/usr/include/X11/keysymdef.h']
function toolsPresent(): boolean {
  try {
    execFileSync('xkbcli', ['--version'], { stdio: 'ignore' })
  } catch {
    return false
  }
  return NEEDED.every((f) => fs.existsSync(f))
}
const present = toolsPresent()
if (!present) console.warn('keyboard-layout-data: SKIPPED, needs apt-get install xkb-data libxkbcommon-tools libx11-data x11proto-dev')

describe.skipIf(!present)('keyboard layout data', () => {
  it('is up to date with the installed platform data', () => {
    const data = generateLayouts()
    expect(Object.keys(data.layouts)).toEqual(['en-US', 'en-GB', 'de', 'fr', 'es', 'it', 'pt-BR', 'sv', 'ja'])
    expect(formatLayouts(data)).toBe(fs.readFileSync(OUTPUT, 'utf8'))
  })
})
