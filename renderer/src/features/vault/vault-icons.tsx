import type { ReactNode } from 'react'
import type { IconComponent } from '../../components/icons'

/** The same 16 px line style as components/icons.tsx, for the vault's own symbols. */
function Line({ children, size = 16 }: { children: ReactNode; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  )
}

export const LockIcon: IconComponent = (p) => (
  <Line {...p}>
    <rect x="3" y="7" width="10" height="7.25" rx="1.5" />
    <path d="M5.25 7V5a2.75 2.75 0 0 1 5.5 0v2M8 10v1.5" />
  </Line>
)

export const UnlockIcon: IconComponent = (p) => (
  <Line {...p}>
    <rect x="3" y="7" width="10" height="7.25" rx="1.5" />
    <path d="M5.25 7V5a2.75 2.75 0 0 1 5.3-1M8 10v1.5" />
  </Line>
)

export const EyeIcon: IconComponent = (p) => (
  <Line {...p}>
    <path d="M1.5 8s2.4-4.25 6.5-4.25S14.5 8 14.5 8 12.1 12.25 8 12.25 1.5 8 1.5 8z" />
    <circle cx="8" cy="8" r="2" />
  </Line>
)

export const ShieldIcon: IconComponent = (p) => (
  <Line {...p}>
    <path d="M8 1.75l5.25 2v4c0 3.2-2.3 5.5-5.25 6.5-2.95-1-5.25-3.3-5.25-6.5v-4z" />
    <path d="M5.75 8l1.6 1.6 2.9-3.1" />
  </Line>
)

export const WarningIcon: IconComponent = (p) => (
  <Line {...p}>
    <path d="M8 2.25L14.5 13.5h-13z" />
    <path d="M8 6.5v3M8 11.5h.01" />
  </Line>
)
