; Virtualization Labs: a program the BIOS boots directly, with no operating system under it.
; It prints a banner on the VGA text screen and on the serial port (COM1), counts seconds on
; screen from the BIOS tick counter, and echoes every key typed on the keyboard or the serial
; line to both. Assembled with `nasm -f bin` into a 512-byte boot sector on a 1.44 MB floppy.
bits 16
org 0x7c00

COM1        equ 0x3f8
VGA_SEG     equ 0xb800
ATTR        equ 0x1f            ; white on blue
TICKS       equ 0x046c          ; BIOS tick counter (18.2 Hz), segment 0

start:
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7c00
    sti
    mov ax, VGA_SEG
    mov es, ax

    ; COM1: 115200 baud, 8N1, FIFO on
    mov dx, COM1 + 1
    xor al, al
    out dx, al                  ; no interrupts
    mov dx, COM1 + 3
    mov al, 0x80
    out dx, al                  ; DLAB
    mov dx, COM1
    mov al, 1
    out dx, al                  ; divisor 1
    mov dx, COM1 + 1
    xor al, al
    out dx, al
    mov dx, COM1 + 3
    mov al, 0x03
    out dx, al                  ; 8N1
    mov dx, COM1 + 2
    mov al, 0xc7
    out dx, al

    ; clear the 80x25 screen
    xor di, di
    mov ax, (ATTR << 8) | ' '
    mov cx, 80 * 25
    rep stosw

    mov si, banner
    xor di, di
    call print_both
    mov si, hint
    mov di, 160 * 1
    call print_both
    mov word [cursor], 160 * 4

    mov ax, [TICKS]
    mov [last_tick], ax

main_loop:
    ; seconds counter from the BIOS tick (18 ticks ~ 1 s)
    mov ax, [TICKS]
    sub ax, [last_tick]
    cmp ax, 18
    jb .keys
    add word [last_tick], 18
    inc word [seconds]
    call show_seconds
.keys:
    mov ah, 0x01                ; keyboard: key waiting?
    int 0x16
    jz .serial
    xor ah, ah
    int 0x16
    call echo_char
.serial:
    mov dx, COM1 + 5
    in al, dx
    test al, 1                  ; data ready
    jz .idle
    mov dx, COM1
    in al, dx
    call echo_char
    jmp main_loop
.idle:
    hlt                         ; woken by the timer tick or the keyboard
    jmp main_loop

; al = character: echo to the serial line and the screen's echo area
echo_char:
    cmp al, 13
    jne .plain
    call serial_out
    mov al, 10
    call serial_out
    mov ax, [cursor]
    mov bx, 160
    xor dx, dx
    div bx
    inc ax
    cmp ax, 24
    jb .row_ok
    mov ax, 4
.row_ok:
    mul bx
    mov [cursor], ax
    ret
.plain:
    call serial_out
    mov di, [cursor]
    mov ah, ATTR
    stosw
    cmp di, 160 * 24
    jb .keep
    mov di, 160 * 4
.keep:
    mov [cursor], di
    ret

; ds:si = zero-terminated string, di = screen offset; writes it to the screen and COM1 + CRLF
print_both:
    lodsb
    test al, al
    jz .done
    call serial_out
    mov ah, ATTR
    stosw
    jmp print_both
.done:
    mov al, 13
    call serial_out
    mov al, 10
    call serial_out
    ret

serial_out:
    push dx
    push ax
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    pop ax
    mov dx, COM1
    out dx, al
    pop dx
    ret

; draws "uptime: NNNNN s" on row 2
show_seconds:
    mov di, 160 * 2
    mov si, uptime_label
.label:
    lodsb
    test al, al
    jz .digits
    mov ah, ATTR
    stosw
    jmp .label
.digits:
    mov ax, [seconds]
    mov bx, 10
    mov cx, 5
    add di, 8                   ; 5 digits, written right to left
.next:
    xor dx, dx
    div bx
    add dl, '0'
    mov dh, ATTR
    mov [es:di], dx
    sub di, 2
    loop .next
    ret

banner       db "vlabs bare metal: no OS here, just this boot sector and the BIOS", 0
hint         db "Type on the keyboard or the serial line: keys are echoed.", 0
uptime_label db "uptime (s): ", 0
seconds      dw 0
last_tick    dw 0
cursor       dw 0

times 510 - ($ - $$) db 0
dw 0xaa55
