import { describe, expect, it } from "vitest";
import { ConsoleSizer, sttyCommand } from "@/lib/emulator/console-size";
import { checkSnapshotCompat } from "@/lib/emulator/snapshot-compat";
import { buildV86Options, machineFor, machineOf } from "@/lib/emulator/v86-options";
import { checkIncomingFile, checkSharedPath } from "@/lib/emulator/shared-folder";
import {
  nameProblem,
  sharedPathParts,
  sizeProblem,
  SHARED_FILE_MAX_BYTES,
  SHARED_FOLDER_MAX_BYTES,
} from "@/lib/emulator/shared-folder-rules";
import { arrowData, NO_MODIFIERS, withModifiers } from "@/components/vm/console-keys";
import { scancodesForChar } from "@/components/vm/scancodes";

const MIB = 1024 * 1024;

describe("shared folder names and paths", () => {
  it("takes ordinary names, accents and spaces included", () => {
    for (const name of ["notes.txt", "my file.tar.gz", "héllo-✓.md", ".profile", "a".repeat(255)])
      expect(nameProblem(name), name).toBeUndefined();
  });

  it("refuses names that are not one plain entry", () => {
    expect(nameProblem("")).toBe("is empty");
    expect(nameProblem(".")).toMatch(/cannot be/);
    expect(nameProblem("..")).toMatch(/cannot be/);
    expect(nameProblem("a/b")).toMatch(/\//);
    expect(nameProblem("a\nb")).toMatch(/control/);
    expect(nameProblem("a\u0000")).toMatch(/control/);
    expect(nameProblem("é".repeat(128))).toMatch(/255 bytes/);
  });

  it("reads paths inside the folder, however written", () => {
    expect(sharedPathParts("notes.txt")).toEqual({ ok: true, parts: ["notes.txt"] });
    expect(sharedPathParts(" ./out//log.txt ")).toEqual({ ok: true, parts: ["out", "log.txt"] });
    expect(sharedPathParts("/root/shared/out/log.txt")).toEqual({
      ok: true,
      parts: ["out", "log.txt"],
    });
  });

  it("never names a place outside the folder", () => {
    for (const path of ["/etc/passwd", "../etc/passwd", "out/../../x", "/root/sharedx/a", "/root"])
      expect(sharedPathParts(path).ok, path).toBe(false);
    expect(sharedPathParts("").ok).toBe(false);
    expect(sharedPathParts("/root/shared").ok).toBe(false);
  });

  it("words its refusals for the learner", () => {
    expect(checkSharedPath("/etc/passwd")).toEqual({
      ok: false,
      error: '"/etc/passwd" is outside /root/shared: give a file in /root/shared',
    });
    expect(checkSharedPath("")).toMatchObject({ ok: false, error: /^The path names no file/ });
    expect(checkIncomingFile({ name: "a\tb", size: 1 })).toMatchObject({
      ok: false,
      error: /control characters: rename it first/,
    });
    expect(checkIncomingFile({ name: "ok.bin", size: 1 })).toEqual({ ok: true, value: "ok.bin" });
  });
});

describe("shared folder caps", () => {
  it("takes a file of exactly the cap and refuses one byte more", () => {
    expect(sizeProblem(SHARED_FILE_MAX_BYTES, { usedBytes: 0 })).toBeUndefined();
    expect(sizeProblem(SHARED_FILE_MAX_BYTES + 1, { usedBytes: 0 })).toMatch(/up to 64 MiB/);
    expect(checkIncomingFile({ name: "big.iso", size: 80 * MIB })).toEqual({
      ok: false,
      error: "big.iso is 80 MiB; the shared folder takes files of up to 64 MiB",
    });
  });

  it("keeps the folder's total under its cap, counting a replaced file as freed", () => {
    const used = SHARED_FOLDER_MAX_BYTES - 10 * MIB;
    expect(sizeProblem(11 * MIB, { usedBytes: used })).toMatch(/past 128 MiB/);
    expect(sizeProblem(10 * MIB, { usedBytes: used })).toBeUndefined();
    expect(sizeProblem(11 * MIB, { usedBytes: used, replacedBytes: 2 * MIB })).toBeUndefined();
  });
});

describe("the shared folder is part of the machine", () => {
  it("gives every machine the 9p device, and a snapshot without it is refused with the reason", () => {
    const machine = machineFor(128);
    expect(machine.shared_folder).toBe(true);
    const profile = {
      title: "t",
      description: "",
      memory_mb: 128,
      bios: "b",
      vga_bios: "v",
      v86_version: "1",
      machine,
      ready_text: "# ",
      agent: true,
    };
    const options = buildV86Options({ profile, files: {}, wasmPath: "/w" });
    expect(options.filesystem).toEqual({});
    expect(machineOf(options)).toEqual(machine);
    const { shared_folder: _, ...before } = machine;
    const old = { file: "s", raw_bytes: 1, v86_version: "1", prompt: "# ", machine: before };
    expect(checkSnapshotCompat(old, { v86Version: "1", machine })).toEqual({
      ok: false,
      error:
        "this snapshot was made without the shared folder (/root/shared); start with a cold boot instead",
    });
  });
});

describe("console size", () => {
  it("is told to the guest as whole rows and columns within bounds", () => {
    expect(sttyCommand({ cols: 100, rows: 30 })).toBe("stty -F /dev/ttyS0 rows 30 cols 100");
    expect(sttyCommand({ cols: 0, rows: Number.NaN })).toBe("stty -F /dev/ttyS0 rows 1 cols 1");
    expect(sttyCommand({ cols: 1e6, rows: 24.6 })).toBe("stty -F /dev/ttyS0 rows 25 cols 999");
  });

  it("sends one command at a time, the newest size, never the same twice", async () => {
    const sent: string[] = [];
    let finish: () => void = () => {};
    const sizer = new ConsoleSizer(async (command) => {
      sent.push(command);
      await new Promise<void>((resolve) => (finish = resolve));
    });
    sizer.set({ cols: 80, rows: 24 });
    sizer.set({ cols: 90, rows: 24 });
    sizer.set({ cols: 100, rows: 30 });
    expect(sent).toHaveLength(1);
    finish();
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([
      "stty -F /dev/ttyS0 rows 24 cols 80",
      "stty -F /dev/ttyS0 rows 30 cols 100",
    ]);
    finish();
    await new Promise((r) => setTimeout(r, 0));
    sizer.set({ cols: 100, rows: 30 });
    expect(sent).toHaveLength(2);
  });

  it("tries again when the guest changes after a failure", async () => {
    let fail = true;
    const sent: string[] = [];
    const sizer = new ConsoleSizer(async (command) => {
      sent.push(command);
      if (fail) throw new Error("not running");
    });
    sizer.set({ cols: 80, rows: 24 });
    await new Promise((r) => setTimeout(r, 0));
    fail = false;
    sizer.guestChanged();
    await new Promise((r) => setTimeout(r, 0));
    sizer.guestChanged();
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toHaveLength(3);
  });
});

describe("key bar", () => {
  it("makes Ctrl and Alt combinations as a terminal does", () => {
    expect(withModifiers("c", { ctrl: true, alt: false })).toBe("\x03");
    expect(withModifiers("C", { ctrl: true, alt: false })).toBe("\x03");
    expect(withModifiers("[", { ctrl: true, alt: false })).toBe("\x1b");
    expect(withModifiers("b", { ctrl: false, alt: true })).toBe("\x1bb");
    expect(withModifiers("x", { ctrl: true, alt: true })).toBe("\x1b\x18");
    expect(withModifiers("hello", { ctrl: true, alt: false })).toBe("hello");
    expect(withModifiers("é", NO_MODIFIERS)).toBe("é");
  });

  it("sends arrows in the mode the program chose", () => {
    expect(arrowData("A", false)).toBe("\x1b[A");
    expect(arrowData("A", true)).toBe("\x1bOA");
  });
});

describe("characters on the VGA screen's US keymap", () => {
  const none = { left: false, right: false };
  it("types what a German, French or UK key says, not its US place", () => {
    // German Z (where US has Y), French A (where US has Q): the US key of that letter.
    expect(scancodesForChar("z", none)).toEqual([0x2c, 0xac]);
    expect(scancodesForChar("a", none)).toEqual([0x1e, 0x9e]);
    // German Shift+7 is "/": unshifted on US, so the held Shift is let go and put back.
    expect(scancodesForChar("/", { left: true, right: false })).toEqual([0xaa, 0x35, 0xb5, 0x2a]);
    // UK Shift+2 is '"': Shift+' on US, Shift already held.
    expect(scancodesForChar('"', { left: false, right: true })).toEqual([0x28, 0xa8]);
    // French unshifted & is US Shift+7.
    expect(scancodesForChar("&", none)).toEqual([0x2a, 0x08, 0x88, 0xaa]);
  });

  it("sends nothing for characters the guest's keymap has no key for", () => {
    expect(scancodesForChar("é", none)).toBeUndefined();
    expect(scancodesForChar("ß", none)).toBeUndefined();
  });
});
