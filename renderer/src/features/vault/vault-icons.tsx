import { LineIcon, type IconComponent } from '../../components/icons'

export const LockIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <rect x="3" y="7" width="10" height="7.25" rx="1.5" />
    <path d="M5.25 7V5a2.75 2.75 0 0 1 5.5 0v2M8 10v1.5" />
  </LineIcon>
)

export const UnlockIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <rect x="3" y="7" width="10" height="7.25" rx="1.5" />
    <path d="M5.25 7V5a2.75 2.75 0 0 1 5.3-1M8 10v1.5" />
  </LineIcon>
)

export const EyeIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M1.5 8s2.4-4.25 6.5-4.25S14.5 8 14.5 8 12.1 12.25 8 12.25 1.5 8 1.5 8z" />
    <circle cx="8" cy="8" r="2" />
  </LineIcon>
)

export const ShieldIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M8 1.75l5.25 2v4c0 3.2-2.3 5.5-5.25 6.5-2.95-1-5.25-3.3-5.25-6.5v-4z" />
    <path d="M5.75 8l1.6 1.6 2.9-3.1" />
  </LineIcon>
)

export const WarningIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M8 2.25L14.5 13.5h-13z" />
    <path d="M8 6.5v3M8 11.5h.01" />
  </LineIcon>
)
