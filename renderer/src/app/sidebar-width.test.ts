import { describe, expect, it } from 'vitest'
import { Settings } from '../../../contract/settings'
import { SIDEBAR_BIG_STEP, SIDEBAR_DEFAULT, SIDEBAR_MAX, SIDEBAR_MIN, SIDEBAR_STEP, clampSidebarWidth, widthForKey } from './sidebar-width'

const widthSchema = Settings.shape.layout.shape.sidebarWidth

describe('sidebar width', () => {
  it('uses the same bounds as the contract', () => {
    expect(widthSchema.safeParse(SIDEBAR_MIN).success).toBe(true)
    expect(widthSchema.safeParse(SIDEBAR_MIN - 1).success).toBe(false)
    expect(widthSchema.safeParse(SIDEBAR_MAX).success).toBe(true)
    expect(widthSchema.safeParse(SIDEBAR_MAX + 1).success).toBe(false)
    expect(widthSchema.safeParse(SIDEBAR_DEFAULT).success).toBe(true)
  })

  it('clamps to whole pixels the settings accept', () => {
    for (const w of [-1e9, 0, 159.4, 200.6, 641, 1e9, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(widthSchema.safeParse(clampSidebarWidth(w)).success).toBe(true)
    }
    expect(clampSidebarWidth(200.6)).toBe(201)
  })

  it('maps the splitter keys', () => {
    expect(widthForKey(260, 'ArrowRight', false)).toBe(260 + SIDEBAR_STEP)
    expect(widthForKey(260, 'ArrowLeft', true)).toBe(260 - SIDEBAR_BIG_STEP)
    expect(widthForKey(SIDEBAR_MIN, 'ArrowLeft', false)).toBe(SIDEBAR_MIN)
    expect(widthForKey(300, 'Home', false)).toBe(SIDEBAR_MIN)
    expect(widthForKey(300, 'End', false)).toBe(SIDEBAR_MAX)
    expect(widthForKey(300, 'a', false)).toBeNull()
  })
})
