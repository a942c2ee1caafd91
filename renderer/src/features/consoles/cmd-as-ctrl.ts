// "Cmd acts as Ctrl" (macOS): the Command key goes to the guest as Control, so Cmd+C is Ctrl+C.

const XK_CONTROL_L = 0xffe3
const XK_CONTROL_R = 0xffe4

/** The key to send for a physical key when Cmd acts as Ctrl: MetaLeft/Right become ControlLeft/Right. */
export function mapCmdToCtrl(keysym: number, code: string): { keysym: number; code: string } {
  if (code === 'MetaLeft' || code === 'OSLeft') return { keysym: XK_CONTROL_L, code: 'ControlLeft' }
  if (code === 'MetaRight' || code === 'OSRight') return { keysym: XK_CONTROL_R, code: 'ControlRight' }
  return { keysym, code }
}
