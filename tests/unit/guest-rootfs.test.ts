import { describe, expect, it } from "vitest";
import type { NewcEntry } from "@/guest/lib/newc";
import { elfDependencies, missingLibraries } from "@/guest/lib/rootfs";

/**
 * A minimal dynamically linked i386 ELF: one PT_INTERP, one PT_LOAD mapping the whole file at
 * 0x1000, one PT_DYNAMIC with DT_STRTAB and a DT_NEEDED per library.
 */
function elf32(interpreter: string, needed: string[]): Uint8Array {
  const strings = ["", interpreter, ...needed].join("\0") + "\0";
  const strtab = new TextEncoder().encode(strings);
  const phoff = 52;
  const phnum = 3;
  const dynOff = phoff + phnum * 32;
  const dynSize = (needed.length + 2) * 8;
  const strOff = dynOff + dynSize;
  const size = strOff + strtab.length;
  const bytes = new Uint8Array(size);
  const v = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 3, true); // EM_386
  v.setUint32(28, phoff, true);
  v.setUint16(42, 32, true);
  v.setUint16(44, phnum, true);
  const ph = (i: number, type: number, offset: number, vaddr: number, filesz: number): void => {
    const o = phoff + i * 32;
    v.setUint32(o, type, true);
    v.setUint32(o + 4, offset, true);
    v.setUint32(o + 8, vaddr, true);
    v.setUint32(o + 16, filesz, true);
  };
  ph(0, 3, strOff + 1, 0x1000 + strOff + 1, interpreter.length + 1); // PT_INTERP
  ph(1, 1, 0, 0x1000, size); // PT_LOAD
  ph(2, 2, dynOff, 0x1000 + dynOff, dynSize); // PT_DYNAMIC
  let o = dynOff;
  let name = 1 + interpreter.length + 1;
  for (const lib of needed) {
    v.setUint32(o, 1, true); // DT_NEEDED
    v.setUint32(o + 4, name, true);
    name += lib.length + 1;
    o += 8;
  }
  v.setUint32(o, 5, true); // DT_STRTAB (an address)
  v.setUint32(o + 4, 0x1000 + strOff, true);
  bytes.set(strtab, strOff);
  return bytes;
}

const file = (path: string, data: Uint8Array): NewcEntry => ({
  kind: "file",
  path,
  data,
  mode: 0o755,
});

describe("guest rootfs: shared libraries of the programs put into an initramfs", () => {
  it("reads the loader and the needed libraries of an i386 ELF, nothing from other files", () => {
    const deps = elfDependencies(elf32("/lib/ld-linux.so.2", ["libext2fs.so.2", "libc.so.6"]));
    expect(deps).toEqual({
      interpreter: "/lib/ld-linux.so.2",
      needed: ["libext2fs.so.2", "libc.so.6"],
    });
    expect(elfDependencies(new TextEncoder().encode("#!/bin/sh\necho hi\n"))).toEqual({
      needed: [],
    });
  });

  it("lists what the archive lacks, following symlinks in the multiarch library folders", () => {
    const entries: NewcEntry[] = [
      file(
        "sbin/mke2fs",
        elf32("/lib/ld-linux.so.2", ["libext2fs.so.2", "libblkid.so.1", "libc.so.6"]),
      ),
      file("lib/ld-linux.so.2", new Uint8Array(4)),
      file("lib/i386-linux-gnu/libc.so.6", new Uint8Array(4)),
      file("lib/i386-linux-gnu/libext2fs.so.2.4", new Uint8Array(4)),
      { kind: "symlink", path: "lib/i386-linux-gnu/libext2fs.so.2", target: "libext2fs.so.2.4" },
    ];
    expect(missingLibraries(entries)).toEqual(["sbin/mke2fs: needs libblkid.so.1"]);
    entries.push(file("usr/lib/i386-linux-gnu/libblkid.so.1", new Uint8Array(4)));
    expect(missingLibraries(entries)).toEqual([]);
    entries.splice(1, 1);
    expect(missingLibraries(entries)).toEqual(["sbin/mke2fs: needs /lib/ld-linux.so.2"]);
  });
});
