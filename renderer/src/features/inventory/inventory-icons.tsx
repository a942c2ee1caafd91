import { LineIcon, type IconComponent } from '../../components/icons'

export const ServerIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <rect x="2" y="2.5" width="12" height="4.5" rx="1" />
    <rect x="2" y="9" width="12" height="4.5" rx="1" />
    <path d="M4.5 4.75h.01M4.5 11.25h.01" />
  </LineIcon>
)

export const PowerIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M8 2v5.5" />
    <path d="M4.6 4.4a5 5 0 1 0 6.8 0" />
  </LineIcon>
)

export const StopIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <rect x="4" y="4" width="8" height="8" rx="1" />
  </LineIcon>
)

export const ResetIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M2.75 8a5.25 5.25 0 1 0 1.6-3.8" />
    <path d="M2.5 2.5v2.75h2.75" />
  </LineIcon>
)

export const PauseIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M6 4v8M10 4v8" />
  </LineIcon>
)

export const ShutdownIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M8 2v5" />
    <path d="M4.6 4.4a5 5 0 1 0 6.8 0" />
    <path d="M6 13.5h4" />
  </LineIcon>
)

export const RefreshIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M13.25 8a5.25 5.25 0 1 1-1.6-3.8" />
    <path d="M13.5 2.5v2.75h-2.75" />
  </LineIcon>
)

export const SearchIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <circle cx="7" cy="7" r="4.25" />
    <path d="M10.25 10.25 13.5 13.5" />
  </LineIcon>
)
