/*
 * mini.h: the little runtime trapdemo and tinyvmm need instead of a C library (the live guest has
 * no libc: busybox is static). Linux i386 system calls through int 0x80, a buffered print with a
 * small printf, a monotonic clock, signal handlers and number parsing. Nothing here is about
 * virtualization; the two programs hold all of that.
 */
#ifndef VLABS_MINI_H
#define VLABS_MINI_H

#define MINI static __attribute__((unused))

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)

enum {
  SYS_exit_group = 252, SYS_read = 3, SYS_write = 4, SYS_open = 5, SYS_close = 6,
  SYS_lseek = 19, SYS_mmap2 = 192, SYS_rt_sigaction = 174, SYS_rt_sigreturn = 173,
  SYS_setitimer = 104, SYS_clock_gettime = 265, SYS_nanosleep = 162, SYS_vm86 = 166,
  SYS_poll = 168, SYS_fstat64 = 197, SYS_fork = 2, SYS_wait4 = 114, SYS_kill = 37,
};

MINI long sys3(long n, long a, long b, long c) {
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
  return r;
}
MINI long sys4(long n, long a, long b, long c, long d) {
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c), "S"(d) : "memory");
  return r;
}
MINI long sys6(long n, long a, long b, long c, long d, long e, long f) {
  /* ebp is the frame pointer: save it by hand around the call. */
  long r;
  long args[2] = {e, f};
  long *p = args;
  __asm__ volatile("push %%ebp\n\tmov 4(%%edi), %%ebp\n\tmov 0(%%edi), %%edi\n\t"
                   "int $0x80\n\tpop %%ebp"
                   : "=a"(r), "+D"(p)
                   : "a"(n), "b"(a), "c"(b), "d"(c), "S"(d)
                   : "memory");
  return r;
}

void *memcpy(void *dst, const void *src, unsigned long n) {
  u8 *d = dst;
  const u8 *s = src;
  while (n--) *d++ = *s++;
  return dst;
}
void *memset(void *dst, int c, unsigned long n) {
  u8 *d = dst;
  while (n--) *d++ = (u8)c;
  return dst;
}

/* 64-bit division, which gcc calls out for on i386 (libgcc's is not here without multilib). */
u64 __udivmoddi4(u64 n, u64 d, u64 *rem) {
  u64 q = 0, r = 0;
  for (int i = 63; i >= 0; i--) {
    r = r << 1 | (n >> i & 1);
    if (r >= d) r -= d, q |= 1ull << i;
  }
  if (rem) *rem = r;
  return q;
}
u64 __udivdi3(u64 n, u64 d) { return __udivmoddi4(n, d, 0); }
u64 __umoddi3(u64 n, u64 d) {
  u64 r;
  __udivmoddi4(n, d, &r);
  return r;
}

MINI int str_eq(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

/* Decimal digits only; returns -1 when s is not a number. */
MINI long parse_uint(const char *s) {
  long v = 0;
  if (!*s) return -1;
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || v > 100000000) return -1;
    v = v * 10 + (*s - '0');
  }
  return v;
}

/* ---- output: one buffer for stdout, flushed at newlines and on exit ---- */
static char out_buf[4096];
static u32 out_len;

MINI void flush(void) {
  u32 done = 0;
  while (done < out_len) {
    long n = sys3(SYS_write, 1, (long)(out_buf + done), out_len - done);
    if (n <= 0) break;
    done += (u32)n;
  }
  out_len = 0;
}
MINI void put_char(char c) {
  if (out_len == sizeof out_buf) flush();
  out_buf[out_len++] = c;
  if (c == '\n') flush();
}
MINI void put_str(const char *s) {
  while (*s) put_char(*s++);
}
MINI void put_num(u64 v, u32 base, int width, char pad) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v);
  while (width-- > n) put_char(pad);
  while (n) put_char(tmp[--n]);
}

/* printf for %s %c %d %u %x %llu, with a width and 0 padding: "%04x", "%5u". */
MINI void vsay(const char *fmt, va_list ap) {
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      put_char(*fmt);
      continue;
    }
    fmt++;
    char pad = ' ';
    int width = 0, wide = 0;
    if (*fmt == '0') pad = '0', fmt++;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    while (*fmt == 'l') wide++, fmt++;
    switch (*fmt) {
    case 's': {
      const char *s = va_arg(ap, const char *);
      int len = 0;
      while (s[len]) len++;
      while (width-- > len) put_char(' ');
      put_str(s);
      break;
    }
    case 'c': put_char((char)va_arg(ap, int)); break;
    case 'd': {
      int v = va_arg(ap, int);
      if (v < 0) put_char('-'), v = -v;
      put_num((u32)v, 10, width, pad);
      break;
    }
    case 'u': put_num(wide ? va_arg(ap, u64) : va_arg(ap, u32), 10, width, pad); break;
    case 'x': put_num(wide ? va_arg(ap, u64) : va_arg(ap, u32), 16, width, pad); break;
    default: put_char(*fmt);
    }
  }
}
MINI void say(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsay(fmt, ap);
  va_end(ap);
}

static __attribute__((noreturn)) void quit(int status) {
  flush();
  for (;;) sys3(SYS_exit_group, status, 0, 0);
}

/* ---- time ---- */
struct timespec32 { long sec, nsec; };
enum { CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1 };

MINI u64 now_ns(void) {
  struct timespec32 t;
  sys3(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&t, 0);
  return (u64)t.sec * 1000000000ull + (u64)t.nsec;
}
MINI long wall_seconds(void) {
  struct timespec32 t;
  sys3(SYS_clock_gettime, CLOCK_REALTIME, (long)&t, 0);
  return t.sec;
}
MINI void sleep_ns(u64 ns) {
  struct timespec32 t = {(long)(ns / 1000000000ull), (long)(ns % 1000000000ull)};
  sys3(SYS_nanosleep, (long)&t, 0, 0);
}

/* ---- signals: the kernel's own sigaction layout, with a restorer that returns from them ---- */
enum { SIGINT = 2, SIGILL = 4, SIGSEGV = 11, SIGALRM = 14 };
enum { SA_SIGINFO = 4, SA_RESTORER = 0x04000000, SA_RESTART = 0x10000000, SA_NODEFER = 0x40000000 };

struct kernel_sigaction {
  void *handler;
  unsigned long flags;
  void (*restorer)(void);
  u32 mask[2];
};

__asm__(".text\n"
        "mini_sigreturn:\n\t"
        "mov $173, %eax\n\t"
        "int $0x80\n");
void mini_sigreturn(void);

MINI void on_signal(int sig, void *handler, unsigned long flags) {
  struct kernel_sigaction sa = {handler, flags | SA_RESTORER, mini_sigreturn, {0, 0}};
  sys4(SYS_rt_sigaction, sig, (long)&sa, 0, sizeof sa.mask);
}

/* ---- entry point: argc and argv from the stack, as the kernel leaves them ---- */
int main(int argc, char **argv);
__attribute__((used)) static void start_c(long *sp) {
  quit(main((int)sp[0], (char **)(sp + 1)));
}
__asm__(".text\n"
        ".global _start\n"
        "_start:\n\t"
        "xor %ebp, %ebp\n\t"
        "mov %esp, %eax\n\t"
        "and $-16, %esp\n\t"
        "sub $12, %esp\n\t"
        "push %eax\n\t"
        "call start_c\n\t"
        "hlt\n");

#endif
