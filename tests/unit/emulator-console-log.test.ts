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

  it("keeps one character per byte, in order, for chunks of any size", () => {
    const log = new ConsoleLog();
    const chunk = Uint8Array.from({ length: 20_000 }, (_, i) => i % 256);
    log.append(chunk);
    log.append(Uint8Array.of(0xe9, 0x0a));
    expect(log.length).toBe(20_002);
    expect(log.current).toBe(String.fromCharCode(...chunk, 0xe9, 0x0a));
  });

  it("rejects with the VM's name when the text never comes", async () => {
    const log = new ConsoleLog();
    await expect(log.waitFor("never", { timeoutMs: 10, what: "alpha" })).rejects.toThrow(
      "alpha: no never",
    );
  });
});
