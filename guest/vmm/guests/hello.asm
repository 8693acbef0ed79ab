; hello: the first guest for tinyvmm. A boot sector, like any PC's: the monitor (playing the
; BIOS) loads this first sector at 0000:7c00 and jumps to it. Every int, in, out and hlt below
; leaves the guest and lands in tinyvmm, which does the work and comes back.
bits 16
org 0x7c00

start:
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7c00

    mov si, greeting            ; print through the BIOS: one int 10h per character
    call bios_print

    mov ax, 0x0201              ; int 13h function 02h: read 1 sector
    mov cx, 0x0002              ; cylinder 0, sector 2 (sectors count from 1)
    xor dh, dh                  ; head 0; DL = the boot drive the BIOS left us
    mov bx, 0x8000              ; to 0000:8000
    int 0x13
    jc .disk_error
    mov si, 0x8000              ; the second sector holds a message
    call bios_print

    mov si, goodbye             ; and now through the serial port: in and out to COM1
    call serial_print

    cli                         ; interrupts off, then halt: this machine is done
    hlt

.disk_error:
    mov si, disk_error
    call bios_print
    cli
    hlt

; ds:si = zero-terminated text -> int 10h teletype
bios_print:
    lodsb
    test al, al
    jz .done
    mov ah, 0x0e
    int 0x10
    jmp bios_print
.done:
    ret

; ds:si = zero-terminated text -> COM1 (wait until the transmitter is empty, then write)
serial_print:
    lodsb
    test al, al
    jz .done
    mov ah, al
    mov dx, 0x3fd               ; line status register
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov al, ah
    mov dx, 0x3f8               ; data register
    out dx, al
    jmp serial_print
.done:
    ret

greeting   db "hello from a guest", 13, 10, 0
goodbye    db "bye", 13, 10, 0
disk_error db "disk read failed", 13, 10, 0

times 510 - ($ - $$) db 0
dw 0xaa55

; sector 2: data the guest reads from its disk with int 13h
message    db "this line came from sector 2 of my disk", 13, 10, 0
times 1024 - ($ - $$) db 0
