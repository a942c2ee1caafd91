/** Bounds of the sidebar width; the contract's Settings schema enforces the same ones (checked in sidebar-width.test.ts). */
export const SIDEBAR_MIN = 160
export const SIDEBAR_MAX = 640
export const SIDEBAR_DEFAULT = 260
/** Arrow keys on the splitter move it by this much; with Shift, by SIDEBAR_BIG_STEP. */
export const SIDEBAR_STEP = 16
export const SIDEBAR_BIG_STEP = 64

/** A width the settings accept: whole pixels within the bounds. */
export function clampSidebarWidth(width: number): number {
  if (!Number.isFinite(width)) return SIDEBAR_DEFAULT
  return Math.min(SIDEBAR_MAX, Math.max(SIDEBAR_MIN, Math.round(width)))
}

/** The width a key press on the splitter asks for, or null when the key is not one of the splitter's. */
export function widthForKey(width: number, key: string, shift: boolean): number | null {
  const step = shift ? SIDEBAR_BIG_STEP : SIDEBAR_STEP
  switch (key) {
    case 'ArrowLeft':
      return clampSidebarWidth(width - step)
    case 'ArrowRight':
      return clampSidebarWidth(width + step)
    case 'Home':
      return SIDEBAR_MIN
    case 'End':
      return SIDEBAR_MAX
    default:
      return null
  }
}
