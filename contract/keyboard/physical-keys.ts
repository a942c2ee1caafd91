// Physical keys on a keysym-only server. noVNC sends the keysym the LOCAL layout gives a key
// (a German keyboard's Y key sends 'z'); a server that maps keysyms through a US table (ESXi) then
// presses the US 'z' key, which a German guest reads as 'y'. Rewriting each key to the US keysym at
// its position makes the guest see the key that was pressed, whatever the local layout. With
// QEMU's extended key event none of this is needed: noVNC sends the scancode of `code` itself.
import { usKeysymForPhysicalKey } from './keystrokes'

export class UsKeysymKeyboard {
  /** What was sent for each key that is down, so its release sends the same keysym. */
  private readonly down = new Map<string, number>()

  /** The keysym to send for noVNC's key event (keysym, code, down). */
  translate(keysym: number, code: string, down: boolean): number {
    if (!down) {
      const sent = this.down.get(code)
      this.down.delete(code)
      return sent ?? keysym
    }
    const shift = this.down.has('ShiftLeft') || this.down.has('ShiftRight')
    const us = usKeysymForPhysicalKey(code, shift, this.down.has('AltRight')) ?? keysym
    this.down.set(code, us)
    return us
  }

  /** Keys pressed and not yet released, with the keysym each went down with (to release on blur). */
  held(): Array<{ code: string; keysym: number }> {
    return [...this.down].map(([code, keysym]) => ({ code, keysym }))
  }
}
