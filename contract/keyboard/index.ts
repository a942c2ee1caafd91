// The guest keyboard layer: layouts generated from xkb-data, the keystroke planner for paste and key
// sequences, paced sending, and physical-key rewriting for keysym-only servers (docs/ARCHITECTURE.md,
// "Keyboard layouts").
export { KEYBOARD_LAYOUTS, keyboardLayout, keyboardLayoutIdSchema, keyboardLayoutSources, type KeyboardLayout, type KeyboardLayoutId } from './layouts'
export { keyEvents, planKeystrokes, usKeysymForPhysicalKey, type KeyEvent, type KeystrokePath, type KeystrokePlan, type PlannedChar } from './keystrokes'
export { PASTE_EVENTS_PER_SECOND, sendPlan, type SendPlanOptions } from './paste'
export { UsKeysymKeyboard } from './physical-keys'
