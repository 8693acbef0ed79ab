; spin: a guest that exits as often as it can, to measure the cost of an exit. It writes to an
; I/O port no device answers (0x80, the PC's "POST code" port) 20000 times, then halts.
bits 16
org 0x7c00

COUNT equ 20000

start:
    xor ax, ax
    mov ds, ax
    mov cx, COUNT
.again:
    out 0x80, al                ; one exit each
    loop .again
    mov si, done
.print:
    lodsb
    test al, al
    jz .halt
    mov ah, 0x0e
    int 0x10
    jmp .print
.halt:
    cli
    hlt

done db "spin: 20000 port writes", 13, 10, 0

times 510 - ($ - $$) db 0
dw 0xaa55
