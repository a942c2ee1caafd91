// "Auto" guest layout: the local keyboard's layout, guessed from what the browser tells — the
// keyboard map (Chromium's navigator.keyboard.getLayoutMap: what each physical key types) when
// there is one, else the UI language, else en-US.
import { KEYBOARD_LAYOUTS, type KeyboardLayoutId } from '../../../../contract/keyboard'

export type LayoutChoice = KeyboardLayoutId | 'auto'
export const LAYOUT_CHOICES: readonly LayoutChoice[] = ['auto', ...KEYBOARD_LAYOUTS]

/** The layout a key map (code → character, as getLayoutMap gives) comes from, if it tells one apart. */
export function layoutFromKeyMap(map: ReadonlyMap<string, string>): KeyboardLayoutId | undefined {
  const at = (code: string): string | undefined => map.get(code)?.toLowerCase()
  if (at('KeyQ') === 'a' && at('KeyA') === 'q') return 'fr'
  if (at('KeyZ') === 'y' && at('KeyY') === 'z') return 'de'
  if (at('Semicolon') === 'ñ') return 'es'
  if (at('Semicolon') === 'ò' || at('Semicolon') === 'ç' && at('Quote') === 'à') return 'it'
  if (at('Semicolon') === 'ç') return 'pt-BR'
  if (at('Semicolon') === 'ö' && at('Quote') === 'ä') return 'sv'
  if (at('Equal') === '^' && at('BracketLeft') === '@') return 'ja'
  if (at('Backslash') === '#' && at('IntlBackslash') === '\\') return 'en-GB'
  if (at('KeyQ') === 'q' && at('Semicolon') === ';' && at('Quote') === "'") return 'en-US'
  return undefined
}

/** The layout a BCP 47 language tag suggests (de-AT → de, en-GB → en-GB, pt-BR → pt-BR, en → en-US). */
export function layoutFromLanguage(language: string | undefined): KeyboardLayoutId {
  const tag = (language ?? '').toLowerCase()
  const [lang, region] = tag.split('-')
  if (lang === 'en') return region === 'gb' || region === 'ie' ? 'en-GB' : 'en-US'
  if (lang === 'pt') return 'pt-BR'
  if (lang === 'sv') return 'sv'
  const direct = KEYBOARD_LAYOUTS.find((l) => l === lang)
  return direct ?? 'en-US'
}

interface KeyboardApi {
  getLayoutMap?: () => Promise<ReadonlyMap<string, string>>
}

let guessed: Promise<KeyboardLayoutId> | undefined

/** The local keyboard's layout (guessed once per window). */
export function localLayout(): Promise<KeyboardLayoutId> {
  guessed ??= (async () => {
    const keyboard = (navigator as Navigator & { keyboard?: KeyboardApi }).keyboard
    try {
      const map = await keyboard?.getLayoutMap?.()
      const fromMap = map && layoutFromKeyMap(map)
      if (fromMap) return fromMap
    } catch {
      // Not allowed here (e.g. in a frame): fall back to the language.
    }
    return layoutFromLanguage(navigator.language)
  })()
  return guessed
}

/** The guest layout a choice means ('auto': the local layout). */
export async function resolveLayout(choice: LayoutChoice): Promise<KeyboardLayoutId> {
  return choice === 'auto' ? localLayout() : choice
}
