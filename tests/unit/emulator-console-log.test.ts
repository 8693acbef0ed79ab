import { describe, expect, it } from "vitest";
import { ConsoleLog } from "@/lib/emulator/console-log";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("ConsoleLog", () => {
  it("waits for text that arrives later, counting from a position", async () => {
    const log = new ConsoleLog();
    log.append(bytes("root@live:~# "));
    const from = log.length;
    const wait = log.waitFor("root@live:~# ", { from, timeoutMs: 1000 });
    log.append(bytes("echo hi\r\nhi\r\n"));
    log.append(bytes("root@live:~# "));
    await expect(wait).resolves.toBe("echo hi\r\nhi\r\nroot@live:~# ");
  });

  it("keeps positions valid after old text is dropped", async () => {
    const log = new ConsoleLog(100);
    log.append(bytes("x".repeat(150)));
    expect(log.current.length).toBeLessThanOrEqual(100);
    expect(log.length).toBe(150);
    const from = log.length;
    log.append(bytes("marker"));
    await expect(log.waitFor("marker", { from, timeoutMs: 10 })).resolves.toBe("marker");
  });

  it("keeps the stream whole and in order, for chunks of any size", () => {
    const log = new ConsoleLog();
    const chunk = Uint8Array.from({ length: 20_000 }, (_, i) => 0x20 + (i % 95));
    log.append(chunk);
    log.append(bytes("\n"));
    expect(log.length).toBe(20_001);
    expect(log.current).toBe(new TextDecoder().decode(chunk) + "\n");
  });

  it("reads the guest's UTF-8, also when a character is split between chunks", () => {
    const log = new ConsoleLog();
    const line = bytes("echo héllo ✓\r\nhéllo ✓\r\n");
    // Cut inside "é" (2 bytes) and inside "✓" (3 bytes), as the worker's 4 ms batches may.
    const cuts = [0, 7, 12, 14, 22, line.length];
    for (let i = 1; i < cuts.length; i++) log.append(line.subarray(cuts[i - 1], cuts[i]));
    expect(log.current).toBe("echo héllo ✓\r\nhéllo ✓\r\n");
  });

  it("shows bytes that are not UTF-8 as replacement characters, as the terminal does", () => {
    const log = new ConsoleLog();
    log.append(Uint8Array.of(0x61, 0xff, 0x62, 0x0a));
    expect(log.current).toBe("a\ufffdb\n");
  });

  it("never starts the kept text with half a character when it drops old text", () => {
    for (const tail of ["x", "xy"]) {
      const log = new ConsoleLog(100);
      log.append(bytes("😀".repeat(50)));
      log.append(bytes(tail));
      expect(log.current.charCodeAt(0) & 0xfc00).not.toBe(0xdc00);
      expect(log.current.endsWith(tail)).toBe(true);
      expect(log.length - log.current.length).toBeGreaterThan(0);
    }
  });

  it("rejects with the VM's name when the text never comes", async () => {
    const log = new ConsoleLog();
    await expect(log.waitFor("never", { timeoutMs: 10, what: "alpha" })).rejects.toThrow(
      "alpha: no never",
    );
  });
});
