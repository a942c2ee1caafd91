import type { ProfileKind } from '../../../../contract/profiles'
import { LineIcon, type IconComponent } from '../../components/icons'

/** vCenter: a stack of hosts. */
const VsphereIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <rect x="2" y="2.5" width="12" height="4" rx="1" />
    <rect x="2" y="9.5" width="12" height="4" rx="1" />
    <path d="M4.5 4.5h.01M4.5 11.5h.01" />
  </LineIcon>
)

/** OpenStack: a cloud. */
const OpenstackIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M4.5 12.5a3 3 0 0 1-.3-6 4 4 0 0 1 7.6-1 2.75 2.75 0 0 1 .2 7z" />
  </LineIcon>
)

/** ZStack: stacked layers. */
const ZstackIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M8 2l6 3-6 3-6-3z" />
    <path d="M2 8l6 3 6-3M2 11l6 3 6-3" />
  </LineIcon>
)

/** VNC: a screen. */
const VncIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <rect x="1.75" y="2.5" width="12.5" height="8.5" rx="1.25" />
    <path d="M5.5 13.75h5M8 11v2.75" />
  </LineIcon>
)

export const KIND_ICONS: Record<ProfileKind, IconComponent> = { vsphere: VsphereIcon, openstack: OpenstackIcon, zstack: ZstackIcon, vnc: VncIcon }

export const MoreIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M3.5 8h.01M8 8h.01M12.5 8h.01" strokeWidth={2.2} />
  </LineIcon>
)

export const ImportIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M8 2v8M5 7l3 3 3-3" />
    <path d="M2.75 10.5v2.25c0 .55.45 1 1 1h8.5c.55 0 1-.45 1-1V10.5" />
  </LineIcon>
)

export const ExportIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M8 10V2M5 5l3-3 3 3" />
    <path d="M2.75 10.5v2.25c0 .55.45 1 1 1h8.5c.55 0 1-.45 1-1V10.5" />
  </LineIcon>
)
