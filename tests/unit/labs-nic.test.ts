import { describe, expect, it } from "vitest";
import { extractActivities } from "@/lib/content/activities";

const lesson = (machine: string) => `---
title: x
---

<Lab id="cards" title="Cards">
  ${machine}

  <Step id="start" title="Start it" check="host: state:alpha == running">
    <Solution do="click alpha Start">Click Start.</Solution>
  </Step>
</Lab>
`;

describe("a lab machine's network card", () => {
  it("is virtio-net unless the lab asks for an NE2000", () => {
    const plain = extractActivities("l.mdx", lesson(`<Machine name="alpha" profile="live" />`));
    expect(plain.labs[0]!.machines[0]!.nic).toBeUndefined();
    const old = extractActivities(
      "l.mdx",
      lesson(`<Machine name="alpha" profile="live" network="switch" nic="ne2k" />`),
    );
    expect(old.labs[0]!.machines[0]).toMatchObject({ network: "switch", nic: "ne2k" });
  });

  it("refuses a card the site does not have, naming the attribute", () => {
    expect(() =>
      extractActivities("l.mdx", lesson(`<Machine name="alpha" profile="live" nic="e1000" />`)),
    ).toThrow(/nic.*must be "virtio" or "ne2k"/);
  });
});
