import type { ReactNode } from 'react'

/**
 * Small line icons, 16 px, drawn with currentColor so they follow the theme. Decorative: the
 * control carries the name. Features draw their own symbols inside this frame so every icon
 * has the same size and stroke.
 */
export function LineIcon({ children, size = 16 }: { children: ReactNode; size?: number }) {
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

export type IconComponent = (props: { size?: number }) => ReactNode

export const SidebarIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <rect x="1.75" y="2.75" width="12.5" height="10.5" rx="1.5" />
    <path d="M6 2.75v10.5" />
  </LineIcon>
)

export const KeyboardIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <rect x="1.25" y="3.75" width="13.5" height="8.5" rx="1.5" />
    <path d="M4 6.5h.01M6.67 6.5h.01M9.33 6.5h.01M12 6.5h.01M4.5 9.5h7" />
  </LineIcon>
)

export const CloseIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M4.5 4.5l7 7M11.5 4.5l-7 7" />
  </LineIcon>
)

export const MonitorIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <rect x="1.75" y="2.5" width="12.5" height="8.5" rx="1.25" />
    <path d="M5.5 13.75h5M8 11v2.75" />
  </LineIcon>
)

export const SunIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <circle cx="8" cy="8" r="2.75" />
    <path d="M8 1.5v1.25M8 13.25v1.25M1.5 8h1.25M13.25 8h1.25M3.4 3.4l.9.9M11.7 11.7l.9.9M3.4 12.6l.9-.9M11.7 4.3l.9-.9" />
  </LineIcon>
)

export const MoonIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M13.5 9.6A5.75 5.75 0 1 1 6.4 2.5a4.5 4.5 0 0 0 7.1 7.1z" />
  </LineIcon>
)

export const HomeIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M2.25 7.25L8 2.5l5.75 4.75" />
    <path d="M3.75 6.25v7h8.5v-7" />
    <path d="M6.5 13.25V9.75h3v3.5" />
  </LineIcon>
)

export const PlugIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M5.5 1.75v3M10.5 1.75v3" />
    <path d="M3.75 4.75h8.5v2.5a4.25 4.25 0 0 1-8.5 0z" />
    <path d="M8 11.5v2.75" />
  </LineIcon>
)

export const FlaskIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M6.25 1.75h3.5M6.75 1.75v4.5L2.9 12.6a1.1 1.1 0 0 0 .95 1.65h8.3a1.1 1.1 0 0 0 .95-1.65L9.25 6.25v-4.5" />
    <path d="M4.6 9.75h6.8" />
  </LineIcon>
)

export const PlusIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M8 3v10M3 8h10" />
  </LineIcon>
)

export const AlertIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <circle cx="8" cy="8" r="6.25" />
    <path d="M8 4.75v3.75M8 11h.01" />
  </LineIcon>
)

export const InfoIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <circle cx="8" cy="8" r="6.25" />
    <path d="M8 7.25v4M8 5h.01" />
  </LineIcon>
)
