import { describe, expect, it } from "vitest";
import { extractActivities } from "@/lib/content/activities";
import { parseActions } from "@/lib/labs/actions";
import { checkAgainstLimits, describeLimits, parseRange } from "@/lib/labs/machine-limits";
import type { VmConfigInput } from "@/lib/emulator/vm-config";

/** A lesson with one lab made of these machines and one step whose solution does `actions`. */
const lesson = (machines: string, actions = "click web1 Start", check = "host: running > 0") => `---
title: x
---

# Lesson

<Lab id="demo" title="Demo lab">
  ${machines}

  <Step id="one" title="One" check="${check}">
    <Solution do="${actions}" />
  </Step>
</Lab>
`;

function problemsOf(source: string): string {
  try {
    extractActivities("content/labs/04-x.mdx", source);
  } catch (error) {
    return (error as Error).message;
  }
  return "";
}

describe("<CreateMachine>: a machine the learner makes with the create form", () => {
  it("becomes a lab machine with the limits the lesson set", () => {
    const { labs } = extractActivities(
      "a.mdx",
      lesson(
        `<CreateMachine name="web1" profiles="installer" memory="96-256" disk="24-64" network="switch" address="10.0.0.7" />`,
        "fill Name: web1; fill Memory (MB): 160; fill Boot from: Installer media (CD); click Create VM",
        "guest: grep -q MemTotal /proc/meminfo",
      ),
    );
    expect(labs[0]!.machines).toEqual([
      {
        name: "web1",
        profile: "installer",
        network: "switch",
        address: "10.0.0.7",
        autostart: false,
        form: {
          boot: ["installer"],
          memoryMb: { min: 96, max: 256 },
          disk: { min: 24, max: 64 },
          network: "switch",
        },
      },
    ]);
    // A guest check on the only machine runs in it, as for a declared one.
    expect(labs[0]!.steps[0]!.vm).toBe("web1");
  });

  it("defaults to any profile and the memory every one of them can boot with", () => {
    const { labs } = extractActivities("a.mdx", lesson(`<CreateMachine name="web1" />`));
    expect(labs[0]!.machines[0]!.form).toEqual({
      boot: ["live", "installer", "baremetal"],
      memoryMb: { min: 80, max: 512 },
    });
  });

  it.each([
    [
      `<CreateMachine name="web1" profiles="windows" />`,
      /field "profiles": use a comma-separated list/,
    ],
    [`<CreateMachine name="web1" memory="256-96" />`, /field "memory": must read "MIN-MAX"/],
    [`<CreateMachine name="web1" profiles="live" memory="32-128" />`, /within 80-512/],
    [`<CreateMachine name="web1" disk="0-9999" />`, /field "disk": must be "none" or "MIN-MAX"/],
    [`<CreateMachine name="web1" address="10.0.0.3" />`, /an address needs network="switch"/],
    [`<CreateMachine name="web1" colour="red" />`, /is not an attribute of <CreateMachine>/],
    [
      `<Machine name="web1" profile="live" /><CreateMachine name="web1" />`,
      /<CreateMachine name="web1"> field "name": machine name "web1" is used twice/,
    ],
  ])("refuses %s with the field named", (machines, message) => {
    expect(problemsOf(lesson(machines))).toMatch(message);
  });

  it("lets a solution fill the form only when the lab has one, and only its fields", () => {
    const declared = `<Machine name="web1" profile="live" />`;
    expect(problemsOf(lesson(declared, "fill Name: web1"))).toMatch(
      /"fill Name: \.\.\." needs a <CreateMachine> in this lab/,
    );
    expect(problemsOf(lesson(`<CreateMachine name="web1" />`, "fill Colour: red"))).toMatch(
      /the create form has no field "Colour"/,
    );
  });
});

describe("<Machine from>: a machine made from a snapshot of another", () => {
  const node1 = `<Machine name="node1" profile="live" memory="128" />`;

  it("keeps where it comes from", () => {
    const { labs } = extractActivities(
      "a.mdx",
      lesson(
        `${node1}<Machine name="node2" profile="live" memory="128" from="node1" />`,
        "click node1 Start",
      ),
    );
    expect(labs[0]!.machines[1]).toMatchObject({ name: "node2", from: "node1" });
  });

  it.each([
    [`<Machine name="node2" profile="live" from="node9" />`, /"node9" is not another machine/],
    [`<Machine name="node2" profile="live" from="node2" />`, /"node2" is not another machine/],
    [
      `<Machine name="node2" profile="live" memory="128" from="node1" /><Machine name="node3" profile="live" memory="128" from="node2" />`,
      /node2 is itself made from node1/,
    ],
    [
      `<Machine name="node2" profile="live" memory="160" from="node1" />`,
      /must have node1's profile, memory and network/,
    ],
    [
      `<Machine name="node2" profile="live" memory="128" from="node1" autostart="true" />`,
      /cannot autostart/,
    ],
  ])("refuses %s", (machine, message) => {
    expect(problemsOf(lesson(node1 + machine, "click node1 Start"))).toMatch(message);
  });
});

describe("the create form's limits, in the browser", () => {
  const input: VmConfigInput = {
    name: "web1",
    memoryMb: "160",
    boot: "installer",
    disk: "blank",
    diskSizeMb: "48",
    network: "switch",
  };
  const limits = {
    boot: ["installer" as const],
    memoryMb: { min: 96, max: 256 },
    disk: { min: 24, max: 64 },
    network: "switch" as const,
  };

  it("accepts a machine within them", () => {
    expect(checkAgainstLimits("web1", limits, input)).toEqual({});
  });

  it("says at each field what the lab asks for", () => {
    expect(
      checkAgainstLimits("web1", limits, {
        name: "web2",
        memoryMb: "0x80",
        boot: "live",
        disk: "blank",
        diskSizeMb: "500",
        network: "none",
      }),
    ).toEqual({
      name: expect.stringMatching(/named web1/),
      memoryMb: "In this lab, give it 96 to 256 MB of memory.",
      boot: "In this lab, boot from Installer media (CD).",
      diskSizeMb: "In this lab, make the disk 24 to 64 MB.",
      network: "This machine must be on the network: choose Virtual switch.",
    });
    expect(checkAgainstLimits("web1", limits, { ...input, disk: "none" })).toEqual({
      disk: "This machine needs a disk: choose Blank disk.",
    });
    expect(checkAgainstLimits("web1", { ...limits, disk: "none" }, input)).toEqual({
      disk: "This machine needs no disk in this lab: choose None.",
    });
  });

  it("reads ranges and words the limits", () => {
    expect(parseRange(" 16 - 64 ")).toEqual({ min: 16, max: 64 });
    expect(parseRange("64-16")).toBeUndefined();
    expect(parseRange("1e2-3")).toBeUndefined();
    expect(describeLimits("web1", limits)).toBe(
      "This lab accepts: Name web1, boot from Installer media (CD), 96 to 256 MB of memory, a blank disk of 24 to 64 MB, on the virtual switch.",
    );
  });
});

describe("fill actions", () => {
  it("name a field by its label and keep the value as written", () => {
    expect(parseActions("fill Memory (MB): 160; fill Boot from: Installer media (CD)")).toEqual([
      { kind: "fill", field: "Memory (MB)", value: "160" },
      { kind: "fill", field: "Boot from", value: "Installer media (CD)" },
    ]);
  });
});

describe("click actions", () => {
  it("name a button by its accessible name, digits and dashes included", () => {
    expect(parseActions("click node1 Clone snap-1; click Create VM")).toEqual([
      { kind: "click", vm: "node1", button: "Clone snap-1" },
      { kind: "click", button: "Create VM" },
    ]);
  });
});
