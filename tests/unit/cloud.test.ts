import { describe, expect, it } from "vitest";
import { costOf, formatCost, runningMs, startRunning, stopRunning } from "@/lib/cloud/cost-meter";
import { BASE_IMAGES, imageTypeError, type CloudImage } from "@/lib/cloud/images";
import { allowedActions, instanceState } from "@/lib/cloud/instance-state";
import { INSTANCE_TYPES, cpuSettingsOf, instanceType } from "@/lib/cloud/instance-types";
import { checkLaunch, imageNameError, USER_DATA_MAX } from "@/lib/cloud/launch-input";
import {
  checkRule,
  describeRule,
  filterPolicy,
  groupNameError,
  type SecurityGroup,
} from "@/lib/cloud/security-groups";
import {
  announceCommand,
  finishedRun,
  MEMBER_USER_DATA,
  userDataRun,
  userDataScript,
} from "@/lib/cloud/user-data";
import { PacketFilter } from "@/lib/emulator/packet-filter";
import { SHARE_LEVELS } from "@/lib/emulator/cpu-policy";

const web: SecurityGroup = {
  id: "sg-web",
  name: "web",
  description: "",
  rules: [{ id: "rule-1", protocol: "tcp", fromPort: 80, toPort: 80, source: "sg-clients" }],
};
const clients: SecurityGroup = { id: "sg-clients", name: "clients", description: "", rules: [] };

describe("instance types", () => {
  it("have the sizes and CPU shares the lesson names", () => {
    expect(INSTANCE_TYPES.map((t) => [t.name, t.memoryMb, t.shareLevel])).toEqual([
      ["t.nano", 96, "low"],
      ["t.small", 128, "normal"],
      ["m.medium", 192, "high"],
    ]);
    expect(cpuSettingsOf(instanceType("m.medium")!)).toEqual({
      shares: SHARE_LEVELS.high,
      limitPct: null,
      reservationPct: 0,
    });
    expect(instanceType("x.huge")).toBeUndefined();
  });
});

describe("instance state", () => {
  it("follows the VM: booting is pending, a paused VM still runs, a crash leaves it stopped", () => {
    expect(instanceState("booting", "none")).toBe("pending");
    expect(instanceState("running", "none")).toBe("running");
    expect(instanceState("paused", "none")).toBe("running");
    expect(instanceState("crashed", "none")).toBe("stopped");
  });

  it("shows stopping until the VM is off, and terminated once it is gone", () => {
    expect(instanceState("running", "stopping")).toBe("stopping");
    expect(instanceState("stopped", "stopping")).toBe("stopped");
    expect(instanceState("running", "terminating")).toBe("stopping");
    expect(instanceState("stopped", "terminated")).toBe("terminated");
  });

  it("offers only the actions that make sense", () => {
    expect(allowedActions("running")).toMatchObject({
      stop: true,
      start: false,
      createImage: true,
    });
    expect(allowedActions("stopped")).toMatchObject({
      stop: false,
      start: true,
      createImage: false,
    });
    expect(allowedActions("terminated")).toMatchObject({
      terminate: false,
      start: false,
      connect: false,
    });
  });
});

describe("cost meter", () => {
  it("counts running time only, across stops", () => {
    let time = startRunning({ pastMs: 0, since: undefined }, 1000);
    expect(runningMs(time, 4000)).toBe(3000);
    time = stopRunning(time, 4000);
    expect(runningMs(time, 99_000)).toBe(3000);
    time = startRunning(time, 100_000);
    expect(runningMs(time, 101_000)).toBe(4000);
    expect(costOf({ pastMs: 3_600_000, since: undefined }, 0.023, 0)).toBeCloseTo(0.023);
    expect(formatCost(0.0000639)).toBe("$0.00006");
    expect(formatCost(12.345)).toBe("$12.35");
  });
});

describe("launch input", () => {
  const ok = {
    name: "web-1",
    imageId: BASE_IMAGES[0]!.id,
    typeName: "t.small",
    groupId: "sg-web",
    userData: "echo hi",
  };
  const check = (input: unknown) => checkLaunch(input, [BASE_IMAGES[0]!.id], ["sg-web"]);

  it("takes a complete form", () => {
    expect(check(ok)).toEqual({ ok: true, value: ok });
  });

  it("names each field that is wrong", () => {
    const result = check({ ...ok, name: " ", imageId: "img-x", typeName: "x", groupId: "sg-y" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["groupId", "imageId", "name", "typeName"]);
  });

  it("refuses user data beyond its limit, and a damaged input", () => {
    const long = check({ ...ok, userData: "x".repeat(USER_DATA_MAX + 1) });
    expect(long.ok || long.errors.userData).toMatch(/at most 16 KiB/);
    expect(check(null).ok).toBe(false);
  });

  it("checks image names", () => {
    expect(imageNameError("web image", [])).toBeUndefined();
    expect(imageNameError("Web Image", ["web image"])).toMatch(/already exists/);
    expect(imageNameError("", [])).toMatch(/name/);
    expect(imageNameError("bad/name", [])).toMatch(/letters/);
  });

  it("keeps a learner's image on its memory size", () => {
    const image: CloudImage = { ...BASE_IMAGES[0]!, id: "img-1", name: "mine", memoryMb: 128 };
    expect(imageTypeError(image, 128)).toBeUndefined();
    expect(imageTypeError(image, 96)).toMatch(/128 MiB/);
    expect(imageTypeError(BASE_IMAGES[0]!, 96)).toBeUndefined();
  });
});

describe("security group rules", () => {
  const groups = ["sg-web", "sg-clients"];

  it("takes a port, a range, ICMP without ports, and a group as source", () => {
    expect(
      checkRule({ protocol: "tcp", fromPort: "80", toPort: "", source: "10.0.0.0/24" }, groups),
    ).toEqual({
      ok: true,
      rule: { protocol: "tcp", fromPort: 80, toPort: 80, source: "10.0.0.0/24" },
    });
    expect(
      checkRule({ protocol: "udp", fromPort: "5000", toPort: "5010", source: "sg-web" }, groups),
    ).toMatchObject({
      ok: true,
      rule: { fromPort: 5000, toPort: 5010 },
    });
    expect(
      checkRule({ protocol: "icmp", fromPort: "x", toPort: "", source: "0.0.0.0/0" }, groups),
    ).toMatchObject({
      ok: true,
      rule: { fromPort: 0, toPort: 0 },
    });
  });

  it("says what is wrong, where", () => {
    const wheres = (input: unknown) => {
      const result = checkRule(input, groups);
      return result.ok ? [] : result.issues.map((i) => i.where);
    };
    expect(
      wheres({ protocol: "tcp", fromPort: "70000", toPort: "", source: "10.0.0.0/24" }),
    ).toEqual(["fromPort"]);
    expect(
      wheres({ protocol: "tcp", fromPort: "90", toPort: "80", source: "10.0.0.0/24" }),
    ).toEqual(["toPort"]);
    expect(wheres({ protocol: "tcp", fromPort: "80", toPort: "", source: "10.0.0.0/40" })).toEqual([
      "source",
    ]);
    expect(wheres({ protocol: "gre", fromPort: "80", toPort: "", source: "sg-web" })).toEqual([
      "protocol",
    ]);
  });

  it("reads like a rule", () => {
    expect(describeRule(web.rules[0]!, [web, clients])).toBe("tcp 80 from group clients");
    expect(
      describeRule({ protocol: "icmp", fromPort: 0, toPort: 0, source: "0.0.0.0/0" }, []),
    ).toBe("icmp from 0.0.0.0/0");
  });

  it("checks group names", () => {
    expect(groupNameError("web", [web])).toMatch(/already exists/);
    expect(groupNameError("api servers", [web])).toBeUndefined();
  });
});

describe("filterPolicy", () => {
  it("guards each instance's port with its group's rules, a group source standing for its members", () => {
    const policy = filterPolicy(
      [
        { port: 1, address: "10.0.0.1", groupId: "sg-web" },
        { port: 2, address: "10.0.0.2", groupId: "sg-clients" },
        { port: 3, address: "10.0.0.3", groupId: "sg-clients" },
      ],
      [web, clients],
    );
    expect(policy.guarded).toEqual([
      {
        port: 1,
        rules: [
          { protocol: "tcp", fromPort: 80, toPort: 80, source: "10.0.0.2/32" },
          { protocol: "tcp", fromPort: 80, toPort: 80, source: "10.0.0.3/32" },
        ],
      },
      { port: 2, rules: [] },
      { port: 3, rules: [] },
    ]);
    // And the switch's filter reads it: a member may open port 80 on the web instance.
    const filter = new PacketFilter(() => 0);
    filter.setPolicy(policy);
    expect(filter.guardedPorts).toEqual([1, 2, 3]);
  });
});

describe("user data", () => {
  it("has nothing to run when blank, and keeps the agent's answer", () => {
    expect(userDataRun("  \n")).toEqual({ status: "none", output: "" });
    expect(userDataRun("httpd")).toEqual({ status: "waiting", output: "" });
    expect(finishedRun(0, "started", false)).toEqual({
      status: "done",
      output: "started",
      exitCode: 0,
    });
    expect(finishedRun(2, "oops", true)).toMatchObject({ status: "failed", exitCode: 2 });
    expect(finishedRun(2, "oops", true).output).toMatch(/cut/);
  });

  it("announces an instance's address once the guest has it", () => {
    const command = announceCommand("10.0.0.3");
    expect(command).toContain("grep -q 'inet 10.0.0.3/'");
    expect(command).toMatch(/arping -U -c 2 -I eth0 10\.0\.0\.3/);
  });

  it("runs with the instance's id and name in the environment, before the script", () => {
    expect(userDataScript({ id: "i-0a1b2c3d", name: "web-asg-3" }, MEMBER_USER_DATA)).toBe(
      `export INSTANCE_ID=i-0a1b2c3d INSTANCE_NAME=web-asg-3\n${MEMBER_USER_DATA}`,
    );
    expect(MEMBER_USER_DATA).toContain('echo "served by $INSTANCE_NAME" > /www/index.html');
  });
});
