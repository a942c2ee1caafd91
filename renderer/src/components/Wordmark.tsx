import { useId } from 'react'

/** The app icon: a porthole whose glass shows a console prompt. Colours come from the theme (see styles/tokens.css). */
export function PortholeLogo({ size = 24 }: { size?: number }) {
  const glass = useId()
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id={glass} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" className="logo-glass-top" />
          <stop offset="1" className="logo-glass-bottom" />
        </linearGradient>
      </defs>
      <circle className="logo-ring" cx="16" cy="16" r="15" />
      {Array.from({ length: 8 }, (_, i) => {
        const a = (i * Math.PI) / 4 + Math.PI / 8
        return <circle key={i} className="logo-bolt" cx={16 + 12.9 * Math.cos(a)} cy={16 + 12.9 * Math.sin(a)} r="1.05" />
      })}
      <circle cx="16" cy="16" r="10.25" fill={`url(#${glass})`} />
      <path className="logo-glint" d="M9.4 13.6a7.1 7.1 0 0 1 4.2-4.2" />
      <path className="logo-prompt" d="M11.6 13.4l3.2 2.6-3.2 2.6M16.6 19.4h4.2" />
    </svg>
  )
}

/** Icon and name, for the sidebar header. */
export function Wordmark() {
  return (
    <span className="wordmark">
      <PortholeLogo />
      <span className="wordmark-name">Porthole</span>
    </span>
  )
}
