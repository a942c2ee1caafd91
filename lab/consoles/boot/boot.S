# Porthole lab boot sector: a 512-byte guest for QEMU that paints a known screen and
# echoes keys. Assembled at lab start with GNU as/ld/objcopy (see boot-image.ts).
#
# Screen (VGA text mode 3, 80x25 cells of 9x16 pixels, 720x400 in QEMU's VNC):
#   rows  0-5  blue background  (attribute 0x1F) -> RGB 0x0000AA
#   rows  6-11 green background (attribute 0x2F) -> RGB 0x00AA00
#   rows 12-17 red background   (attribute 0x4F) -> RGB 0xAA0000
#   rows 18-24 black background (attribute 0x07) -> RGB 0x000000
#   row 18, col 2: the banner text (light grey); rows 20-24: typed characters (white),
#   starting at col 0 of row 20 and wrapping back there after row 24.
#   The cursor is hidden.
#
# Serial (COM1): the banner line at boot, then one line per byte read from the keyboard
# controller (port 0x60): two lower-case hex digits, then, for a make code of a key with
# a character (US layout, shift honoured, not after an 0xE0 prefix), a space and that
# character; lines end with CR LF. Bytes received on the serial port are echoed back raw.
# The keyboard is interrupt driven and the CPU halts between events, so an idle guest
# costs almost no host CPU under TCG.
#
# Assembled with --defsym ANIMATE=1 (the animated image, for frame-rate benchmarks), the
# timer runs at 100 Hz and the cell at row 19, col 79 (x 711-719, y 304-319) shows a new
# character on every wake, faster than QEMU's 33 Hz display refresh; the rest is the same.

        .code16
        .text
        .globl _start
_start:
        cli
        xor     %ax, %ax
        mov     %ax, %ds
        mov     %ax, %ss
        mov     $0x7c00, %sp
        ljmp    $0, $main
main:
        cld
        mov     $0x0003, %ax            # text mode 3, clears the screen
        int     $0x10
        mov     $0x01, %ah              # hide the cursor
        mov     $0x2000, %cx
        int     $0x10

        mov     $0xb800, %ax
        mov     %ax, %es
        xor     %di, %di
        mov     $0x1f20, %ax            # blue band
        call    band
        mov     $0x2f20, %ax            # green band
        call    band
        mov     $0x4f20, %ax            # red band
        call    band
        mov     $0x0720, %ax            # black area, 7 rows
        mov     $560, %cx
        rep stosw

        mov     $0x3fb, %dx             # COM1: 8N1, no interrupts
        mov     $0x03, %al
        out     %al, %dx
        mov     $0x3f9, %dx
        xor     %al, %al
        out     %al, %dx

        mov     $banner, %si            # banner on screen (row 18, col 2) and serial
        mov     $(18*80+2)*2, %di
1:      lodsb
        test    %al, %al
        jz      2f
        call    sputc
        mov     $0x07, %ah
        stosw
        jmp     1b
2:      call    crlf

        movw    $kbd_isr, 9*4           # take over IRQ1 (INT 9) from the BIOS
        movw    %cs, 9*4+2
.ifdef ANIMATE
        mov     $0x36, %al              # PIT channel 0 at 100 Hz (divisor 11932)
        out     %al, $0x43
        mov     $0x9c, %al
        out     %al, $0x40
        mov     $0x2e, %al
        out     %al, $0x40
.endif

idle:   sti
        hlt
        cli
.ifdef ANIMATE
        incb    %es:(19*80+79)*2        # a new character at row 19, col 79 on every wake
.endif
        mov     $0x3fd, %dx             # serial input: echo back
        in      %dx, %al
        test    $1, %al
        jz      idle
        mov     $0x3f8, %dx
        in      %dx, %al
        call    sputc
        jmp     idle

band:   mov     $480, %cx               # 6 rows of 80 cells
        rep stosw
        ret

kbd_isr:
        pusha
        push    %ds
        push    %es
        xor     %ax, %ax
        mov     %ax, %ds
        mov     $0xb800, %ax
        mov     %ax, %es
        in      $0x60, %al
        mov     %al, %bl
        call    shex
        mov     prev_e0, %bh
        movb    $0, prev_e0
        cmp     $0xe0, %bl
        jne     3f
        movb    $1, prev_e0
        jmp     eol
3:      test    %bh, %bh
        jnz     eol
        mov     %bl, %al
        and     $0x7f, %al
        cmp     $0x2a, %al              # left or right shift: track its state
        je      4f
        cmp     $0x36, %al
        jne     5f
4:      not     %bl
        shr     $7, %bl                 # 1 on make, 0 on break
        mov     %bl, shift
        jmp     eol
5:      cmp     $0x3a, %bl              # caps lock make code toggles caps
        jne     55f
        xorb    $1, caps
        jmp     eol
55:     jae     eol                     # no character beyond 0x39 (and no break codes)
        xor     %bh, %bh
        mov     lower(%bx), %al
        mov     shift, %ah
        cmp     $'a', %al               # caps lock inverts shift for letters only
        jb      6f
        cmp     $'z', %al
        ja      6f
        xor     caps, %ah
6:      test    %ah, %ah
        jz      66f
        mov     upper(%bx), %al
66:     test    %al, %al
        jz      eol
        push    %ax
        mov     $' ', %al
        call    sputc
        pop     %ax
        call    sputc
        mov     cursor, %di
        mov     $0x0f, %ah
        stosw
        cmp     $4000, %di
        jb      7f
        mov     $3200, %di
7:      mov     %di, cursor
eol:    call    crlf
        mov     $0x20, %al
        out     %al, $0x20
        pop     %es
        pop     %ds
        popa
        iret

crlf:   mov     $'\r', %al
        call    sputc
        mov     $'\n', %al
        jmp     sputc

shex:   push    %ax
        shr     $4, %al
        call    snib
        pop     %ax
        and     $0x0f, %al
snib:   add     $'0', %al
        cmp     $'9', %al
        jbe     sputc
        add     $('a'-'9'-1), %al
sputc:  push    %dx
        push    %ax
        mov     $0x3fd, %dx
8:      in      %dx, %al
        test    $0x20, %al
        jz      8b
        pop     %ax
        mov     $0x3f8, %dx
        out     %al, %dx
        pop     %dx
        ret

banner: .asciz  "PORTHOLE LAB READY"
cursor: .word   3200
prev_e0: .byte  0
shift:  .byte   0
caps:   .byte   0
# Scancode set 1, codes 0x00-0x39; 0 means "no character".
lower:  .byte   0, 0
        .ascii  "1234567890-="
        .byte   0, 0
        .ascii  "qwertyuiop[]"
        .byte   0, 0
        .ascii  "asdfghjkl;'`"
        .byte   0
        .ascii  "\\zxcvbnm,./"
        .byte   0, 0, 0
        .ascii  " "
upper:  .byte   0, 0
        .ascii  "!@#$%^&*()_+"
        .byte   0, 0
        .ascii  "QWERTYUIOP{}"
        .byte   0, 0
        .ascii  "ASDFGHJKL:\"~"
        .byte   0
        .ascii  "|ZXCVBNM<>?"
        .byte   0, 0, 0
        .ascii  " "

        .org    510
        .word   0xaa55
