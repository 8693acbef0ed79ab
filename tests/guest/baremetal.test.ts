import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Manifest } from "@/lib/emulator/manifest";
import { NodeVm } from "@/guest/node-vm";
import { IMAGES_TIMEOUT_MS, loadImages } from "./setup";

describe("baremetal profile", () => {
  let manifest: Manifest;
  let vm: NodeVm | undefined;

  beforeAll(async () => {
    manifest = await loadImages();
  }, IMAGES_TIMEOUT_MS);

  afterAll(async () => {
    await vm?.destroy();
  });

  it("is booted by the BIOS from the floppy and prints its banner on the serial port", async () => {
    const profile = manifest.profiles.baremetal!;
    expect(profile.bzimage).toBeUndefined();
    vm = await NodeVm.boot(manifest, "baremetal");
    await vm.waitForSerial(profile.ready_text, { timeoutMs: 20_000 });
  }, 30_000);

  it("echoes what is typed on the serial line", async () => {
    const from = vm!.serial[0]!.length;
    vm!.emulator.serial0_send("hi!");
    await vm!.waitForSerial("hi!", { from, timeoutMs: 5000 });
  }, 10_000);
});
