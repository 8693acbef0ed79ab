"use client";

import { createPageVmHost } from "@/components/vm/use-vm-host";
import type { VmHost } from "@/lib/emulator/vm-host";

/*
 * One hypervisor per page, shared by every lab on it, so the page's memory budget covers all of
 * them. It lives while at least one lab holds it.
 */
let host: VmHost | undefined;
let holders = 0;

export function acquireLabHost(): VmHost {
  host ??= createPageVmHost();
  holders += 1;
  return host;
}

export function releaseLabHost(): void {
  holders -= 1;
  if (holders > 0 || !host) return;
  const last = host;
  host = undefined;
  void last.destroy();
}
