import type { Theme } from '../../../contract/settings'
import { useSettings } from '../store/settings'
import { MonitorIcon, MoonIcon, SunIcon, type IconComponent } from './icons'

const CHOICES: readonly { theme: Theme; label: string; icon: IconComponent }[] = [
  { theme: 'system', label: 'System', icon: MonitorIcon },
  { theme: 'light', label: 'Light', icon: SunIcon },
  { theme: 'dark', label: 'Dark', icon: MoonIcon },
]

/**
 * System / Light / Dark. Native radio buttons, so Tab reaches the group once and the
 * arrow keys change the choice, as every platform's radio group does.
 */
export function ThemeSwitch() {
  const theme = useSettings((s) => s.settings.theme)
  const setTheme = useSettings((s) => s.setTheme)
  return (
    <fieldset className="segmented">
      <legend className="visually-hidden">Theme</legend>
      {CHOICES.map(({ theme: value, label, icon: Icon }) => (
        <label key={value} className="segmented-option" title={`${label} theme`}>
          <input
            type="radio"
            name="theme"
            value={value}
            checked={theme === value}
            onChange={() => void setTheme(value)}
            className="visually-hidden"
          />
          <Icon size={14} />
          <span className="segmented-label">{label}</span>
        </label>
      ))}
    </fieldset>
  )
}
