; runaway: a guest that never asks the machine for anything. It loops forever without a single
; exit, so the monitor never gets control back from it, except through its watchdog.
bits 16
org 0x7c00

start:
    jmp start

times 510 - ($ - $$) db 0
dw 0xaa55
