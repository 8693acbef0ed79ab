/*
 * tinyvmm: a virtual machine monitor in one small program, on the 386's virtual-8086 mode.
 *
 * The guest is 16-bit real-mode code (a PC boot sector). Linux's vm86() system call runs it on
 * the real CPU, in virtual-8086 mode, with 1 MiB of our memory as its "physical" memory (mapped
 * at linear address 0). Whenever the guest does something only a machine could answer (an int
 * into the BIOS, an in or out to a device, a hlt), the CPU faults, and vm86() returns to us: an
 * exit. We emulate what the guest asked for and enter the guest again. The machine we emulate:
 *
 *   console  int 10h teletype, and the serial port COM1 (0x3f8) for its data and status
 *   timer    the BIOS tick count at 0x46c (18.2 Hz), int 1Ah, and hlt waiting for the next tick
 *   disk     int 13h reads from the guest image itself, as a 1.44 MB floppy
 *   keyboard int 16h and COM1 reads from our standard input
 *
 * usage: tinyvmm [--trace] [--seconds N] IMAGE
 * Loads the first sector of IMAGE at 0000:7c00, like a BIOS, and runs it until it halts with
 * interrupts off (cli; hlt), or N seconds pass (10 by default; 0: no limit). Last line:
 * "exits: N" and the count for each reason. A guest that runs 3 s without any exit is stopped
 * by the watchdog; an instruction we cannot emulate stops it too (exit status 2 and 3).
 */
#include "mini.h"

/* ---- the kernel's interface (asm/vm86.h) ---- */
struct vm86_regs {
  u32 ebx, ecx, edx, esi, edi, ebp, eax, null_ds, null_es, null_fs, null_gs, orig_eax, eip;
  u16 cs, csh;
  u32 eflags, esp;
  u16 ss, ssh, es, esh, ds, dsh, fs, fsh, gs, gsh;
};
struct vm86plus {
  struct vm86_regs regs;
  u32 flags, screen_bitmap, cpu_type;
  u32 int_revectored[8];   /* ints whose bit is set come back to us instead of the guest's IVT */
  u32 int21_revectored[8];
  u32 plus_flags;
  u8 debug_int_table[32];
};
enum { VM86_ENTER = 1, CPU_586 = 5 };
enum { VM86_SIGNAL = 0, VM86_UNKNOWN = 1, VM86_INTx = 2, VM86_STI = 3, VM86_TRAP = 6 };
enum { FLAG_CF = 1, FLAG_ZF = 0x40, FLAG_VIF = 0x80000 }; /* VIF: the guest's own IF */

#define GUEST_MEMORY 0x110000 /* 1 MiB, plus the 64 KiB a segment can reach past it */
#define SECTOR 512
#define DISK_SECTORS 2880     /* 80 cylinders x 2 heads x 18 sectors */
#define WATCHDOG_TENTHS 30    /* no exit for 3 s: the watchdog stops the guest */

static u8 *mem;                 /* the guest's physical memory: our linear address 0 */
static struct vm86plus vm;
static struct vm86_regs *r = &vm.regs;
static int disk = -1, trace;
static u32 disk_sectors, lcr, pending_key = 256;
static u64 started;
static volatile u32 interrupted;
/* Exit counts and where the guest was, in memory the watchdog process shares with us. */
static struct { u32 exits, counts[4]; u16 cs, ip; } *seen;
static const char *reasons[] = {"int", "in", "out", "hlt"};
enum { R_INT, R_IN, R_OUT, R_HLT };

#define AL (r->eax & 0xff)
#define AH (r->eax >> 8 & 0xff)
static void set_al(u32 v) { r->eax = (r->eax & ~0xffu) | (v & 0xff); }
static void set_ah(u32 v) { r->eax = (r->eax & ~0xff00u) | (v & 0xff) << 8; }
static void set_flag(u32 flag, int on) { r->eflags = on ? r->eflags | flag : r->eflags & ~flag; }
static u32 linear(u16 seg, u16 off) { return (u32)seg * 16 + off; }

static void summary(void) {
  u64 ns = now_ns() - started;
  say("time: %llu.%02llu s, %llu exits/s\n", ns / 1000000000ull, ns / 10000000ull % 100,
      ns ? (u64)seen->exits * 1000000000ull / ns : 0);
  say("exits: %u", seen->exits);
  for (int i = 0; i <= R_HLT; i++) say("  %s: %u", reasons[i], seen->counts[i]);
  say("\n");
}

/* The guest wrote to video memory at 0xb8000 (as the bare-metal program does): show that screen. */
static void show_screen(void) {
  int shown = 0;
  for (int row = 0; row < 25; row++) {
    u8 *line = mem + 0xb8000 + row * 160;
    int end = 80;
    while (end > 0 && (line[(end - 1) * 2] == ' ' || line[(end - 1) * 2] == 0)) end--;
    if (!end) continue;
    if (!shown++) say("screen (text the guest wrote to video memory at 0xb8000):\n");
    say("  | ");
    for (int c = 0; c < end; c++) put_char(line[c * 2] >= 32 && line[c * 2] < 127 ? line[c * 2] : ' ');
    say("\n");
  }
}

static __attribute__((noreturn)) void stop(int status, const char *why) {
  if (out_len) say("\n");
  say("tinyvmm: %s (at %04x:%04x)\n", why, seen->cs, seen->ip);
  show_screen();
  summary();
  quit(status);
}

/* One line per exit with --trace: number, reason, where the guest was, what we did. */
static void log_exit(int reason, u32 ip, const char *fmt, ...) {
  seen->exits++;
  seen->counts[reason]++;
  seen->cs = r->cs, seen->ip = (u16)ip;
  if (!trace) return;
  va_list ap;
  va_start(ap, fmt);
  say("exit %u: %s at %04x:%04x: ", seen->exits, reasons[reason], r->cs, ip & 0xffff);
  vsay(fmt, ap);
  say("\n");
  va_end(ap);
}

static void console_out(u8 c) {
  if (!trace && c != '\r') put_char((char)c);
}
static const char *shown(u8 c) {
  static char s[4];
  if (c < 32 || c > 126) return c == '\n' ? "\\n" : c == '\r' ? "\\r" : "?";
  s[0] = (char)c;
  s[1] = 0;
  return s;
}

/* Keyboard: a key from our standard input, if one is waiting (never blocks). */
static int key_waiting(void) {
  struct { int fd; short events, revents; } p = {0, 1, 0};
  if (pending_key == 256 && sys3(SYS_poll, (long)&p, 1, 0) > 0) {
    u8 c;
    pending_key = sys3(SYS_read, 0, (long)&c, 1) == 1 ? c : 257; /* 257: end of input */
  }
  return pending_key < 256;
}

/* Timer: the BIOS's tick count (18.2 Hz since the guest started) in low memory. */
static u32 ticks(void) { return (u32)((now_ns() - started) * 182 / 10000000000ull); }
static u64 update_clock(void) {
  u64 now = now_ns();
  *(u32 *)(mem + 0x46c) = (u32)((now - started) * 182 / 10000000000ull);
  return now;
}

/* Disk: int 13h, function 02h reads AL sectors at cylinder CH, head DH, sector CL to ES:BX. */
static void disk_read(u32 ip) {
  u32 count = AL, cyl = (r->ecx >> 8 & 0xff) | (r->ecx & 0xc0) << 2, sec = r->ecx & 0x3f;
  u32 head = r->edx >> 8 & 0xff, lba = (cyl * 2 + head) * 18 + sec - 1;
  u32 dest = linear(r->es, (u16)r->ebx);
  if (sec == 0 || lba + count > disk_sectors || dest + count * SECTOR > GUEST_MEMORY) {
    log_exit(R_INT, ip, "int 13h read C%u H%u S%u x%u: beyond the disk -> error", cyl, head, sec, count);
    set_ah(0x04), set_flag(FLAG_CF, 1); /* "sector not found" */
    return;
  }
  sys3(SYS_lseek, disk, (long)(lba * SECTOR), 0);
  sys3(SYS_read, disk, (long)(mem + dest), (long)(count * SECTOR));
  log_exit(R_INT, ip, "int 13h disk read C%u H%u S%u x%u (sector %u) -> %04x:%04x", cyl, head,
           sec, count, lba, r->es, r->ebx & 0xffff);
  set_ah(0), set_flag(FLAG_CF, 0);
}

/* The guest called the BIOS: int N. Its IP is already past the int instruction. */
static void bios(u32 n) {
  u32 ip = r->eip - 2;
  if (n == 0x10 && AH == 0x0e) {
    log_exit(R_INT, ip, "int 10h teletype '%s' -> console", shown((u8)AL));
    console_out((u8)AL);
  } else if (n == 0x10) {
    log_exit(R_INT, ip, "int 10h function %02xh: ignored (no screen modes here)", AH);
  } else if (n == 0x13 && AH == 0x02) {
    disk_read(ip);
  } else if (n == 0x13 && AH == 0x00) {
    log_exit(R_INT, ip, "int 13h reset disk");
    set_ah(0), set_flag(FLAG_CF, 0);
  } else if (n == 0x16 && (AH == 0x01 || AH == 0x11)) {
    int waiting = key_waiting();
    log_exit(R_INT, ip, "int 16h key waiting? %s", waiting ? "yes" : "no");
    set_flag(FLAG_ZF, !waiting);
    if (waiting) r->eax = (r->eax & ~0xffffu) | pending_key;
  } else if (n == 0x16 && (AH == 0x00 || AH == 0x10)) {
    if (!key_waiting()) stop(0, "the guest waits for a key and the input has ended");
    log_exit(R_INT, ip, "int 16h read key '%s'", shown((u8)pending_key));
    r->eax = (r->eax & ~0xffffu) | pending_key;
    pending_key = 256;
  } else if (n == 0x1a && AH == 0x00) {
    u32 t = ticks();
    log_exit(R_INT, ip, "int 1Ah read clock: %u ticks", t);
    r->ecx = t >> 16, r->edx = t & 0xffff, set_al(0);
  } else if (n < 8) {
    say("\ntinyvmm: the guest raised CPU exception %u (0: divide error, 6: invalid opcode)", n);
    stop(2, "guest error");
  } else {
    say("\ntinyvmm: the guest called int %02xh (AH=%02xh), which this machine does not have", n, AH);
    stop(2, "guest error");
  }
}

/* Devices behind I/O ports: COM1 (0x3f8-0x3ff) and nothing else. */
static u8 port_in(u16 port, u32 ip) {
  u8 v = 0xff;
  if (port == 0x3fd) v = 0x60 | (key_waiting() ? 1 : 0); /* transmitter empty, data ready */
  else if (port == 0x3f8 && !(lcr & 0x80) && key_waiting()) v = (u8)pending_key, pending_key = 256;
  else if (port == 0x3fb) v = (u8)lcr;
  log_exit(R_IN, ip, "in port %03xh -> %02xh%s", port, v,
           port >= 0x3f8 && port <= 0x3ff ? " (COM1)" : " (no device there)");
  return v;
}
static void port_out(u16 port, u8 v, u32 ip) {
  if (port == 0x3f8 && !(lcr & 0x80)) {
    log_exit(R_OUT, ip, "out port 3f8h <- '%s' -> console (COM1 data)", shown(v));
    console_out(v);
    return;
  }
  if (port == 0x3fb) lcr = v;
  log_exit(R_OUT, ip, "out port %03xh <- %02xh%s", port, v,
           port >= 0x3f8 && port <= 0x3ff ? " (COM1 setup)" : " (no device there)");
}

/* The CPU refused an instruction (general-protection fault): decode it at CS:IP and emulate. */
static void emulate(void) {
  u32 ip = r->eip & 0xffff;
  u8 *code = mem + linear(r->cs, (u16)ip);
  u8 op = code[0];
  if (op == 0xf4) { /* hlt */
    if (!(r->eflags & FLAG_VIF)) {
      log_exit(R_HLT, ip, "hlt with interrupts off: the guest has stopped for good");
      stop(0, "the guest halted");
    }
    u64 next = (u64)(ticks() + 1) * 10000000000ull / 182 + started;
    u64 now = now_ns();
    if (next > now) sleep_ns(next - now);
    update_clock();
    log_exit(R_HLT, ip, "hlt: wait for the next timer tick (%u)", ticks());
    r->eip = ip + 1;
  } else if (op == 0xe4 || op == 0xec) { /* in al, imm8 / in al, dx */
    set_al(port_in(op == 0xe4 ? code[1] : (u16)r->edx, ip));
    r->eip = ip + (op == 0xe4 ? 2 : 1);
  } else if (op == 0xe6 || op == 0xee) { /* out imm8, al / out dx, al */
    port_out(op == 0xe6 ? code[1] : (u16)r->edx, (u8)AL, ip);
    r->eip = ip + (op == 0xe6 ? 2 : 1);
  } else {
    say("\ntinyvmm: cannot emulate the instruction %02x %02x %02x", code[0], code[1], code[2]);
    stop(2, "guest error");
  }
}

static void on_interrupt(void) { interrupted = 1; }

/*
 * The watchdog: a second process that never enters the guest. Linux cannot deliver a signal to a
 * process inside vm86() on this emulated CPU without crashing the machine, so the monitor must
 * not be interrupted while the guest runs; this process watches the shared exit count instead,
 * and ends the guest's process (SIGKILL needs no handler) when it stops making progress.
 */
static __attribute__((noreturn)) void watch(long guest_pid, long seconds) {
  u32 last = 0, still = 0;
  int status = 0;
  on_signal(SIGINT, (void *)on_interrupt, 0);
  for (;;) {
    sleep_ns(100000000);
    if (sys4(SYS_wait4, guest_pid, (long)&status, 1 /* WNOHANG */, 0) == guest_pid) {
      if ((status & 0x7f) == 0) quit(status >> 8 & 0xff); /* it stopped by itself and said why */
      say("\ntinyvmm: the guest's process died of signal %d: an instruction the CPU refused "
          "(invalid opcode?) after the last exit", status & 0x7f);
      stop(2, "guest error");
    }
    const char *why = 0;
    int code = 0;
    if (seen->exits != last) last = seen->exits, still = 0;
    else if (++still >= WATCHDOG_TENTHS)
      why = "watchdog: the guest ran 3 s without a single exit (a loop that never asks the "
            "machine for anything?)", code = 3;
    if (seconds && now_ns() - started >= (u64)seconds * 1000000000ull + 500000000ull)
      why = "time is up (--seconds)", code = 0;
    if (interrupted) why = "stopped by Ctrl-C", code = 130;
    if (why) {
      sys3(SYS_kill, guest_pid, 9, 0);
      sys4(SYS_wait4, guest_pid, (long)&status, 0, 0);
      stop(code, why);
    }
  }
}

static void load(const char *path) {
  struct { u32 pad[11]; u32 size_lo, size_hi; u32 rest[16]; } st; /* struct stat64: st_size */
  disk = (int)sys3(SYS_open, (long)path, 0, 0);
  if (disk < 0) say("tinyvmm: cannot open the guest image %s\n", path), quit(2);
  sys3(SYS_fstat64, disk, (long)&st, 0);
  if (st.size_hi || st.size_lo < SECTOR || st.size_lo % SECTOR || st.size_lo > DISK_SECTORS * SECTOR)
    say("tinyvmm: %s is not a disk image: %u bytes, not 1 to %u whole 512-byte sectors\n", path,
        st.size_lo, DISK_SECTORS), quit(2);
  disk_sectors = st.size_lo / SECTOR;
  /* rwx, fixed|shared|anonymous: shared, so that the watchdog process sees the guest's screen */
  long mapped = sys6(SYS_mmap2, 0, GUEST_MEMORY, 7, 0x31, -1, 0);
  if (mapped != 0) {
    say("tinyvmm: cannot map the guest's memory at address 0 (error %d).\n"
        "Linux refuses mappings below vm.mmap_min_addr to programs without CAP_SYS_RAWIO:\n"
        "run as root, or: echo 0 > /proc/sys/vm/mmap_min_addr\n", (int)-mapped);
    quit(2);
  }
  mem = (u8 *)mapped;
  sys3(SYS_read, disk, (long)(mem + 0x7c00), SECTOR);
  if (mem[0x7dfe] != 0x55 || mem[0x7dff] != 0xaa)
    say("tinyvmm: %s is not bootable: sector 0 ends in %02x %02x, not the boot signature 55 aa\n",
        path, mem[0x7dfe], mem[0x7dff]), quit(2);
}

int main(int argc, char **argv) {
  const char *image = 0;
  long seconds = 10;
  for (int i = 1; i < argc; i++) {
    if (str_eq(argv[i], "--trace")) trace = 1;
    else if (str_eq(argv[i], "--seconds") && i + 1 < argc) seconds = parse_uint(argv[++i]);
    else if (argv[i][0] != '-' && !image) image = argv[i];
    else seconds = -1;
  }
  if (!image || seconds < 0) {
    say("usage: tinyvmm [--trace] [--seconds N] IMAGE   (guests: /usr/share/tinyvmm/*.img)\n");
    return 2;
  }
  load(image);
  /* The machine as a BIOS leaves it: CS:IP 0000:7c00, boot drive 0 in DL, interrupts on. */
  r->cs = r->ds = r->es = r->ss = 0;
  r->eip = 0x7c00, r->esp = 0x7c00, r->edx = 0, r->eflags = FLAG_VIF;
  vm.cpu_type = CPU_586;
  for (int i = 0; i < 8; i++) vm.int_revectored[i] = ~0u; /* every int is an exit */
  seen = (void *)sys6(SYS_mmap2, 0, 4096, 3, 0x21, -1, 0); /* read-write, shared|anonymous */
  seen->ip = 0x7c00;
  started = now_ns();
  long pid = sys3(SYS_fork, 0, 0, 0);
  if (pid > 0) watch(pid, seconds);
  on_signal(SIGINT, (void *)1, 0); /* SIG_IGN: Ctrl-C goes to the watchdog */
  for (;;) {
    if (seconds && update_clock() - started >= (u64)seconds * 1000000000ull)
      stop(0, "time is up (--seconds)");
    long ret = sys3(SYS_vm86, VM86_ENTER, (long)&vm, 0);
    int type = (int)(ret & 0xff);
    if (ret < 0)
      say("tinyvmm: vm86() failed (error %d): this kernel has no CONFIG_X86_LEGACY_VM86\n",
          (int)-ret), quit(2);
    if (type == VM86_INTx) bios((u32)(ret >> 8));
    else if (type == VM86_UNKNOWN) emulate();
    else if (type == VM86_STI) continue;
    else say("\ntinyvmm: unexpected vm86 return %d (trap %d)", type, (int)(ret >> 8)), stop(2, "guest error");
  }
}
