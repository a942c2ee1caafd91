import { LineIcon, type IconComponent } from '../../components/icons'

export const FolderIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M1.75 4.25v8.5h12.5v-7h-6l-1.5-1.5h-5z" />
  </LineIcon>
)
export const FileIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M3.75 1.75h5.5l3 3v9.5h-8.5z" />
    <path d="M9.25 1.75v3h3" />
  </LineIcon>
)
export const LinkIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M6.5 9.5l3-3" />
    <path d="M7 4.5l1.25-1.25a2.5 2.5 0 013.5 3.5L10.5 8" />
    <path d="M9 11.5l-1.25 1.25a2.5 2.5 0 01-3.5-3.5L5.5 8" />
  </LineIcon>
)
export const BackIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M13 8H3.5M7.5 4L3.5 8l4 4" />
  </LineIcon>
)
export const UpIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M8 13V3.5M4 7.5l4-4 4 4" />
  </LineIcon>
)
export const RefreshIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M13.25 8a5.25 5.25 0 11-1.54-3.71" />
    <path d="M13.25 2.5v3h-3" />
  </LineIcon>
)
export const DownloadIcon: IconComponent = (p) => (
  <LineIcon {...p}>
    <path d="M8 2v8.5M4.5 7l3.5 3.5L11.5 7" />
    <path d="M2.5 13.5h11" />
  </LineIcon>
)
/** The file browser's tab icon. */
export const FilesIcon: IconComponent = FolderIcon
