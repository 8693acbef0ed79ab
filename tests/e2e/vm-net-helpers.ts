import type { Locator, Page } from "@playwright/test";
import { expect } from "./fixtures";
import { createVm } from "./vm-helpers";

/** Creates a VM plugged into the page's virtual switch. */
export async function createSwitchedVm(page: Page, name: string): Promise<Locator> {
  await page.getByLabel("Network", { exact: true }).selectOption("switch");
  return createVm(page, name);
}

export const PAGE_MAC = /^02:76:6c(:[0-9a-f]{2}){3}$/;

/**
 * Waits until the runtime has set the guest up after a start or a clone through the agent: its
 * own MAC, and its hostname (the VM's name, with a fresh prompt typed for it). Typing before
 * that races the new prompt's Enter.
 */
export async function waitForGuestSetup(panel: Locator): Promise<string> {
  const name = (await panel.getAttribute("aria-label"))!.replace(/^VM /, "");
  const mac = panel.locator('[data-stat="mac"]');
  await expect(mac).toHaveText(PAGE_MAC, { timeout: 30_000 });
  await expect(panel.locator(".xterm-rows")).toContainText(`@${name}:~# `, { timeout: 30_000 });
  return (await mac.textContent())!;
}

export async function consoleText(panel: Locator): Promise<string> {
  return (await panel.locator(".xterm-rows").innerText()).replace(/\u00a0/g, " ");
}

/** Prints eth0's IPv4 addresses as "addrs:A/24,B/24,." (the typed line itself never matches). */
export const GUEST_ADDRESSES = `echo "addrs:$(ip -4 -o addr show dev eth0 | awk '{print $4}' | tr '\\n' ,)."`;

/** What GUEST_ADDRESSES prints when eth0 has this address and no other. */
export function onlyAddress(cidr: string): string {
  return `addrs:${cidr},.`;
}
