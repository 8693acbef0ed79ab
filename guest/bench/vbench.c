/*
 * vbench: the same integer workload on the host (WebAssembly) and in a guest (i386 Linux), so
 * that their times can be compared and their checksums must agree (docs/overhead.md).
 *
 * Work per round over a buffer of SIZE KiB: copy it, shift it in place by a few words
 * (overlapping move), mix it with the copy (multiply, xor), heap-sort a 1024-word window and
 * fold a CRC-32 of the whole buffer into the checksum. Everything is 32-bit integer arithmetic
 * from a fixed seed; nothing depends on time, so every build prints the same checksum.
 *
 * One source, two builds, no libc:
 *   i386 Linux:  gcc -m32 -static -nostdlib -ffreestanding ...  (own _start, int 0x80 syscalls)
 *                usage: vbench [-t] SIZE_KIB [ROUNDS]
 *                prints "vbench size_kib=S rounds=R checksum=XXXXXXXX"; -t adds "time_us=N"
 *                (CLOCK_MONOTONIC around the work only, so start-up and printing are left out),
 *                or "time_us=unavailable" when the kernel offers no clock_gettime
 *   wasm32:      clang --target=wasm32 -nostdlib ...  exports vbench(size_kib, rounds) -> checksum
 */

typedef unsigned int u32;
typedef unsigned char u8;
typedef char u32_is_32_bits[sizeof(u32) == 4 ? 1 : -1];

#define VB_MAX_KIB 4096u
#define VB_MAX_ROUNDS 100000u
#define VB_MAX_WORDS (VB_MAX_KIB * 256u)
#define VB_SORT_WORDS 1024u

static u32 buf_a[VB_MAX_WORDS];
static u32 buf_b[VB_MAX_WORDS];
static u32 crc_table[256];

/* Compilers may emit calls to these for struct copies and large zeroing; nothing else uses them. */
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

static void copy_words(u32 *dst, const u32 *src, u32 n) {
  for (u32 i = 0; i < n; i++) dst[i] = src[i];
}

/* Overlapping move towards higher addresses: copies from the end, as memmove must. */
static void move_up_words(u32 *dst, const u32 *src, u32 n) {
  while (n) {
    n--;
    dst[n] = src[n];
  }
}

static void crc_init(void) {
  for (u32 i = 0; i < 256; i++) {
    u32 c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static u32 crc32_words(const u32 *p, u32 n) {
  u32 c = 0xFFFFFFFFu;
  for (u32 i = 0; i < n; i++) {
    u32 w = p[i];
    /* Little-endian byte order on both targets, so host and guest hash the same bytes. */
    c = crc_table[(c ^ w) & 0xFF] ^ (c >> 8);
    c = crc_table[(c ^ (w >> 8)) & 0xFF] ^ (c >> 8);
    c = crc_table[(c ^ (w >> 16)) & 0xFF] ^ (c >> 8);
    c = crc_table[(c ^ (w >> 24)) & 0xFF] ^ (c >> 8);
  }
  return c ^ 0xFFFFFFFFu;
}

static void sift_down(u32 *a, u32 root, u32 n) {
  for (;;) {
    u32 child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && a[child] < a[child + 1]) child++;
    if (a[root] >= a[child]) return;
    u32 t = a[root];
    a[root] = a[child];
    a[child] = t;
    root = child;
  }
}

static void heap_sort(u32 *a, u32 n) {
  for (u32 i = n / 2; i > 0; i--) sift_down(a, i - 1, n);
  for (u32 end = n; end > 1; end--) {
    u32 t = a[0];
    a[0] = a[end - 1];
    a[end - 1] = t;
    sift_down(a, 0, end - 1);
  }
}

/* The workload; returns the checksum, or 0 for parameters out of range. */
static u32 run_bench(u32 size_kib, u32 rounds) {
  if (size_kib < 1 || size_kib > VB_MAX_KIB || rounds < 1 || rounds > VB_MAX_ROUNDS) return 0;
  u32 words = size_kib * 256u;
  u32 sort_words = words < VB_SORT_WORDS ? words : VB_SORT_WORDS;
  crc_init();
  u32 x = 0x9E3779B9u ^ size_kib ^ (rounds << 16);
  for (u32 i = 0; i < words; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    buf_a[i] = x;
  }
  u32 sum = 0;
  for (u32 r = 0; r < rounds; r++) {
    copy_words(buf_b, buf_a, words);
    u32 shift = 1 + r % 7;
    if (shift < words) move_up_words(buf_a + shift, buf_a, words - shift);
    for (u32 i = 0; i < words; i++) buf_a[i] = (buf_a[i] ^ buf_b[words - 1 - i]) * 2654435761u + r;
    u32 window = (r * sort_words) % (words - sort_words + 1);
    heap_sort(buf_a + window, sort_words);
    sum = (sum << 5 | sum >> 27) ^ crc32_words(buf_a, words);
  }
  return sum ^ crc32_words(buf_b, words);
}

#if defined(__wasm__)

__attribute__((export_name("vbench"))) u32 vbench(u32 size_kib, u32 rounds) {
  return run_bench(size_kib, rounds);
}
__attribute__((export_name("vbench_max_kib"))) u32 vbench_max_kib(void) { return VB_MAX_KIB; }

#elif defined(__i386__) && defined(__linux__)

#define SYS_exit 1
#define SYS_write 4
#define SYS_clock_gettime 265
#define SYS_clock_gettime64 403
#define CLOCK_MONOTONIC 1

static int sys3(int nr, int a, int b, int c) {
  int ret;
  __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
  return ret;
}

/* The 64-bit time call (Linux 5.1+) first: a kernel without CONFIG_COMPAT_32BIT_TIME has no 265. */
struct timespec64 {
  long long sec;
  long long nsec;
};
struct timespec32 {
  int sec;
  int nsec;
};

/* Monotonic time in microseconds, modulo 2^32 (differences stay right); 0 and ok=0 without a clock. */
static u32 now_us(int *ok) {
  struct timespec64 t64;
  if (sys3(SYS_clock_gettime64, CLOCK_MONOTONIC, (int)&t64, 0) == 0) {
    *ok = 1;
    return (u32)t64.sec * 1000000u + (u32)t64.nsec / 1000u;
  }
  struct timespec32 t32;
  if (sys3(SYS_clock_gettime, CLOCK_MONOTONIC, (int)&t32, 0) == 0) {
    *ok = 1;
    return (u32)t32.sec * 1000000u + (u32)t32.nsec / 1000u;
  }
  *ok = 0;
  return 0;
}

static u32 str_len(const char *s) {
  u32 n = 0;
  while (s[n]) n++;
  return n;
}

static void put(const char *s) { sys3(SYS_write, 1, (int)s, (int)str_len(s)); }

static void put_dec(u32 v) {
  char tmp[12];
  int i = 11;
  tmp[i] = 0;
  do {
    tmp[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  put(tmp + i);
}

static void put_hex8(u32 v) {
  char tmp[9];
  for (int i = 7; i >= 0; i--) {
    tmp[i] = "0123456789abcdef"[v & 15];
    v >>= 4;
  }
  tmp[8] = 0;
  put(tmp);
}

/* Decimal without sign; returns 0 (never valid) on anything else or overflow past a million. */
static u32 parse_u32(const char *s) {
  u32 v = 0;
  if (!*s) return 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || v > 1000000u) return 0;
    v = v * 10 + (u32)(*s - '0');
  }
  return v;
}

static void usage(void) {
  put("usage: vbench [-t] SIZE_KIB [ROUNDS]  (SIZE_KIB 1-");
  put_dec(VB_MAX_KIB);
  put(", ROUNDS 1-");
  put_dec(VB_MAX_ROUNDS);
  put(", default 1)\n");
}

static int vb_main(int argc, char **argv) {
  int timed = 0;
  int i = 1;
  if (i < argc && argv[i][0] == '-' && argv[i][1] == 't' && argv[i][2] == 0) {
    timed = 1;
    i++;
  }
  if (argc - i < 1 || argc - i > 2) {
    usage();
    return 2;
  }
  u32 size_kib = parse_u32(argv[i]);
  u32 rounds = argc - i == 2 ? parse_u32(argv[i + 1]) : 1;
  if (size_kib < 1 || size_kib > VB_MAX_KIB || rounds < 1 || rounds > VB_MAX_ROUNDS) {
    usage();
    return 2;
  }
  int clock_ok = 0;
  u32 t0 = now_us(&clock_ok);
  u32 sum = run_bench(size_kib, rounds);
  u32 t1 = now_us(&clock_ok);
  put("vbench size_kib=");
  put_dec(size_kib);
  put(" rounds=");
  put_dec(rounds);
  put(" checksum=");
  put_hex8(sum);
  put("\n");
  if (timed) {
    /* 32-bit microseconds: enough for 71 minutes, and no 64-bit division (no libgcc here). */
    if (clock_ok) {
      put("time_us=");
      put_dec(t1 - t0);
      put("\n");
    } else {
      put("time_us=unavailable\n");
    }
  }
  return 0;
}

__attribute__((used)) void vb_start(int *sp) {
  int code = vb_main(sp[0], (char **)(sp + 1));
  sys3(SYS_exit, code, 0, 0);
  for (;;) {
  }
}

/* The kernel enters with argc at (%esp); keep the stack 16-byte aligned at the call. */
__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "  xorl %ebp, %ebp\n"
        "  movl %esp, %eax\n"
        "  andl $-16, %esp\n"
        "  subl $12, %esp\n"
        "  pushl %eax\n"
        "  call vb_start\n"
        "  hlt\n");

#else
#error "vbench builds for wasm32 or i386 Linux only"
#endif
