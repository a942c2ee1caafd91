import { LineIcon, type IconComponent } from '../../components/icons'

/** The process viewer's tab icon: a list with activity. */
export const ProcessesIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M2 3.5h7M2 8h5M2 12.5h7" />
    <path d="M10 9.5l1.5-3 1.5 5 1.5-2.5" />
  </LineIcon>
)

export const RefreshIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M13 8a5 5 0 1 1-1.5-3.6" />
    <path d="M13 2.5v3h-3" />
  </LineIcon>
)

export const RunIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M5 3.5v9l7-4.5z" />
  </LineIcon>
)

export const KillIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <circle cx="8" cy="8" r="5.5" />
    <path d="M6 6l4 4M10 6l-4 4" />
  </LineIcon>
)

export const CopyIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
    <path d="M10.5 5.5V3.5a1 1 0 0 0-1-1h-6a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h2" />
  </LineIcon>
)
