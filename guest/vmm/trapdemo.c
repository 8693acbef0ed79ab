/*
 * trapdemo: trap-and-emulate inside one Linux process.
 *
 * The "guest" is ordinary code that runs privileged instructions (cli, sti, hlt, in, out). This
 * process runs in ring 3, so the CPU refuses each one with a general-protection fault, and Linux
 * turns the fault into SIGSEGV. Our SIGSEGV handler is the "monitor": it reads the faulting
 * instruction at the saved EIP, does what the instruction would have done to a *virtual* CPU
 * (a virtual interrupt flag, a virtual console and clock behind I/O ports), moves EIP past the
 * instruction and returns. The guest carries on as if the instruction had run.
 *
 *   trapdemo           run the guest, show every trap           last line: traps: N
 *   trapdemo cost [N]  time N traps against plain instructions  last line: traps: N
 *   trapdemo hole      instructions that should trap but do not last line: traps: N
 */
#include "mini.h"

/* What the monitor keeps for the guest: its view of the CPU and of two devices. */
static struct {
  int vif;        /* virtual interrupt flag: what the guest believes IF is */
  u8 rtc_index;   /* virtual clock: register selected through port 0x70 */
  u32 traps;      /* how many times the guest trapped into the monitor */
  int quiet;      /* the cost mode does not print each trap */
} vcpu = {.vif = 1};

/* The saved registers Linux hands the handler (struct sigcontext on i386). */
struct regs {
  u16 gs, gsh, fs, fsh, es, esh, ds, dsh;
  u32 edi, esi, ebp, esp, ebx, edx, ecx, eax, trapno, err, eip;
  u16 cs, csh;
  u32 eflags;
};
struct ucontext {
  u32 flags, link, stack_sp, stack_flags, stack_size;
  struct regs r;
};

static u8 bcd(u32 v) { return (u8)((v / 10) << 4 | (v % 10)); }

/* The virtual devices: port 0xe9 is a console, ports 0x70/0x71 a clock (like a PC's CMOS RTC). */
static u8 device_in(u16 port) {
  if (port == 0x71 && vcpu.rtc_index == 0) return bcd((u32)(wall_seconds() % 60));
  return 0xff; /* no device: an empty bus reads as all ones */
}
static void device_out(u16 port, u8 value) {
  if (port == 0xe9) say("%s", value == '\n' ? "\\n" : (char[]){(char)value, 0});
  if (port == 0x70) vcpu.rtc_index = value;
}

/* The monitor. Runs on every trap; returns to the guest after the emulated instruction. */
static void monitor(int sig, void *info, struct ucontext *uc) {
  struct regs *r = &uc->r;
  u8 *code = (u8 *)r->eip;
  u32 length = 1;
  u16 port;
  (void)sig, (void)info;
  vcpu.traps++;
  if (!vcpu.quiet) say("trap %u at eip %08x, opcode %02x: ", vcpu.traps, r->eip, code[0]);
  switch (code[0]) {
  case 0xfa: /* cli */
    if (!vcpu.quiet) say("cli -> virtual IF %d -> 0\n", vcpu.vif);
    vcpu.vif = 0;
    break;
  case 0xfb: /* sti */
    if (!vcpu.quiet) say("sti -> virtual IF %d -> 1\n", vcpu.vif);
    vcpu.vif = 1;
    break;
  case 0xf4: /* hlt */
    if (!vcpu.quiet) say("hlt -> the guest is idle; a hypervisor would run another guest\n");
    break;
  case 0xe6: /* out imm8, al */
  case 0xee: /* out dx, al */
    port = code[0] == 0xe6 ? code[1] : (u16)r->edx;
    length = code[0] == 0xe6 ? 2 : 1;
    if (!vcpu.quiet) say("out port 0x%02x <- 0x%02x -> virtual device: ", port, r->eax & 0xff);
    device_out(port, (u8)r->eax);
    if (!vcpu.quiet) say("\n");
    break;
  case 0xe4: /* in al, imm8 */
  case 0xec: /* in al, dx */
    port = code[0] == 0xe4 ? code[1] : (u16)r->edx;
    length = code[0] == 0xe4 ? 2 : 1;
    r->eax = (r->eax & ~0xffu) | device_in(port);
    if (!vcpu.quiet) say("in port 0x%02x -> 0x%02x from the virtual device\n", port, r->eax & 0xff);
    break;
  default:
    say("\ntrapdemo: the monitor cannot emulate opcode %02x at %08x; stopping the guest\n",
        code[0], r->eip);
    quit(2);
  }
  r->eip += length; /* skip the instruction we emulated */
}

/* The guest: eight privileged instructions between ordinary ones. */
static u8 guest(void) {
  u8 al;
  __asm__ volatile("cli\n\t"                         /* no interrupts, please */
                   "mov $'h', %%al\n\tout %%al, $0xe9\n\t" /* "hi\n" to the console port */
                   "mov $'i', %%al\n\tout %%al, $0xe9\n\t"
                   "mov $10, %%al\n\tout %%al, $0xe9\n\t"
                   "mov $0, %%al\n\tout %%al, $0x70\n\t" /* select the clock's seconds */
                   "in $0x71, %%al\n\t"                 /* and read them */
                   "sti\n\t"                            /* interrupts back on */
                   "hlt\n\t"                            /* wait for the next interrupt */
                   : "=a"(al)
                   :
                   : "memory");
  return al;
}

static void run_guest(void) {
  say("guest: cli; out 0xe9 x3 (\"hi\\n\"); out 0x70; in 0x71; sti; hlt\n");
  u8 seconds = guest();
  say("guest finished: it read %02x (BCD seconds) from the virtual clock; virtual IF = %d\n",
      seconds, vcpu.vif);
}

/* One trap is a fault, a kernel entry, a signal frame, our handler and a return. */
static void measure_cost(u32 traps) {
  u32 loops = 2000000, per_loop = 10; /* 8 adds + dec + jnz */
  vcpu.quiet = 1;
  say("timing %u trapped cli and %u plain instructions (add)...\n", traps, loops * per_loop);
  u64 t0 = now_ns();
  for (u32 i = 0; i < traps; i++) __asm__ volatile("cli" ::: "memory");
  u64 t1 = now_ns();
  __asm__ volatile("1:\n\t"
                   "add %%edx, %%eax\n\tadd %%edx, %%eax\n\tadd %%edx, %%eax\n\tadd %%edx, %%eax\n\t"
                   "add %%edx, %%eax\n\tadd %%edx, %%eax\n\tadd %%edx, %%eax\n\tadd %%edx, %%eax\n\t"
                   "dec %%ecx\n\tjnz 1b"
                   : "+c"(loops)
                   :
                   : "eax", "edx", "cc");
  u64 t2 = now_ns();
  u64 trap_ns = (t1 - t0) / traps, insn_ps = (t2 - t1) * 1000 / (2000000ull * per_loop);
  say("one trap:        %llu ns\n", trap_ns);
  say("one instruction: %llu.%03llu ns\n", insn_ps / 1000, insn_ps % 1000);
  say("a trap costs as much as %llu plain instructions\n", insn_ps ? trap_ns * 1000 / insn_ps : 0);
}

/* Sensitive instructions that do not trap in ring 3: the monitor never hears of them. */
static void show_hole(void) {
  u32 before, after;
  struct __attribute__((packed)) { u16 limit; u32 base; } gdt;
  u32 msw;
  __asm__ volatile("cli\n\tsti" ::: "memory"); /* these two trap, as they should */
  __asm__ volatile("pushf\n\tpop %0\n\t"
                   "mov %0, %1\n\tand $~0x200, %1\n\t" /* clear IF in a copy of EFLAGS */
                   "push %1\n\tpopf\n\t"               /* load it: should disable interrupts */
                   "pushf\n\tpop %1"
                   : "=&r"(before), "=&r"(after)::"cc");
  say("popf with IF=0: no trap; IF before %u, after %u: the CPU dropped the change silently,\n"
      "  the monitor's virtual IF is still %d, and the guest believes interrupts are off\n",
      before >> 9 & 1, after >> 9 & 1, vcpu.vif);
  __asm__ volatile("sgdt %0" : "=m"(gdt));
  say("sgdt: no trap; the guest read the real GDT register: base %08x limit %04x\n", gdt.base,
      gdt.limit);
  __asm__ volatile("smsw %0" : "=r"(msw));
  say("smsw: no trap; the guest read the real CR0: %04x (PE=%u: protected mode, whatever the guest"
      " was told)\n", msw & 0xffff, msw & 1);
  say("sensitive instructions run without a trap: 3 (popf, sgdt, smsw)\n");
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "run";
  on_signal(SIGSEGV, (void *)monitor, SA_SIGINFO | SA_NODEFER);
  if (str_eq(mode, "run")) {
    run_guest();
  } else if (str_eq(mode, "cost")) {
    long n = argc > 2 ? parse_uint(argv[2]) : 2000;
    if (n < 1 || n > 1000000) {
      say("trapdemo: cost takes a number of traps from 1 to 1000000, not \"%s\"\n", argv[2]);
      return 2;
    }
    measure_cost((u32)n);
  } else if (str_eq(mode, "hole")) {
    show_hole();
  } else {
    say("usage: trapdemo [run | cost [N] | hole]\n");
    return 2;
  }
  say("traps: %u\n", vcpu.traps);
  return 0;
}
