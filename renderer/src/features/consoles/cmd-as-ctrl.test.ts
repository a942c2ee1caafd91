import { describe, expect, it } from 'vitest'
import { mapCmdToCtrl } from './cmd-as-ctrl'

describe('Cmd acts as Ctrl', () => {
  it('turns Meta into Control, left and right, and leaves other keys alone', () => {
    expect(mapCmdToCtrl(0xffeb, 'MetaLeft')).toEqual({ keysym: 0xffe3, code: 'ControlLeft' })
    expect(mapCmdToCtrl(0xffec, 'MetaRight')).toEqual({ keysym: 0xffe4, code: 'ControlRight' })
    expect(mapCmdToCtrl(0x63, 'KeyC')).toEqual({ keysym: 0x63, code: 'KeyC' })
  })
})
