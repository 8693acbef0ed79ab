import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  freeSwitchAddress,
  isSwitchAddress,
  setAddressCommand,
} from "@/lib/emulator/switch-addresses";
import { parseGuestAddress, setIdentityCommand } from "@/lib/emulator/vm-network";

describe("addresses on the switch", () => {
  it("are 10.0.0.1 to 10.0.0.254, written one way", () => {
    for (const ok of ["10.0.0.1", "10.0.0.42", "10.0.0.254"])
      expect(isSwitchAddress(ok)).toBe(true);
    for (const bad of [
      "10.0.0.0",
      "10.0.0.255",
      "10.0.0.01",
      "10.0.1.1",
      "10.0.0.1/24",
      " 10.0.0.1",
      5,
      null,
    ])
      expect(isSwitchAddress(bad)).toBe(false);
  });

  it("accept nothing a shell could read as more than an address", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        if (isSwitchAddress(text)) expect(text).toMatch(/^10\.0\.0\.\d{1,3}$/);
        else expect(() => setAddressCommand(text)).toThrow(/not an address/);
      }),
      { numRuns: 500 },
    );
  });

  it("hand out the lowest free address, and none when all are taken", () => {
    expect(freeSwitchAddress([])).toBe("10.0.0.1");
    expect(freeSwitchAddress(["10.0.0.1", undefined, "10.0.0.3"])).toBe("10.0.0.2");
    const all = Array.from({ length: 254 }, (_, i) => `10.0.0.${i + 1}`);
    expect(freeSwitchAddress(all)).toBeUndefined();
  });
});

describe("the identity the agent sets in a guest", () => {
  it("is the MAC alone for a VM off the switch, MAC then address for one on it", () => {
    const mac = "02:76:6c:01:02:03";
    expect(setIdentityCommand(mac, undefined)).not.toContain("addr add");
    const both = setIdentityCommand(mac, "10.0.0.7");
    expect(both).toContain(`address ${mac}`);
    expect(both).toContain(
      'grep -qF "inet 10.0.0.7/24 " || { ip -4 addr flush dev eth0 && ip addr add 10.0.0.7/24 dev eth0',
    );
    expect(both.indexOf(mac)).toBeLessThan(both.indexOf("10.0.0.7"));
  });

  it("sets the switch's MTU after the address, and a card that cannot take it keeps its own", () => {
    const mac = "02:76:6c:01:02:03";
    const jumbo = setIdentityCommand(mac, "10.0.0.7", 9000);
    expect(jumbo).toMatch(
      /ip addr add 10\.0\.0\.7\/24 .* && \{ ip link set eth0 mtu 9000 2>\/dev\/null \|\| true; \}$/,
    );
    expect(setIdentityCommand(mac, undefined, 9000)).not.toContain("mtu");
    expect(() => setIdentityCommand(mac, "10.0.0.7", 70_000)).toThrow("not an MTU: 70000");
  });

  it("is read back from what the guest prints", () => {
    const output = [
      "02:76:6c:01:02:03",
      "2: eth0    inet 10.0.0.7/24 scope global eth0\\       valid_lft forever",
      "2: eth0    inet 192.168.5.1/16 scope global eth0",
    ].join("\n");
    expect(parseGuestAddress(output)).toEqual({
      mac: "02:76:6c:01:02:03",
      ips: ["10.0.0.7/24", "192.168.5.1/16"],
    });
  });
});
