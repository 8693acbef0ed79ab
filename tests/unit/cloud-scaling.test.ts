import { describe, expect, it } from "vitest";
import { LOAD_BALANCER_USER_DATA, parseCounts, setTargetsCommand } from "@/lib/cloud/load-balancer";
import {
  checkScalingSpec,
  DEFAULT_HEALTH_CHECK,
  planScaling,
  UNHEALTHY_AFTER,
  type Member,
} from "@/lib/cloud/scaling";

const running = (id: string, failures = 0): Member => ({ id, state: "running", failures });

describe("planScaling", () => {
  it("launches what is missing, counting pending instances as on their way", () => {
    expect(planScaling(2, [])).toEqual({ replace: [], trim: [], gone: [], launch: 2 });
    expect(planScaling(2, [{ id: "a", state: "pending", failures: 0 }])).toMatchObject({
      launch: 1,
    });
  });

  it("drops a terminated member and launches its replacement", () => {
    const plan = planScaling(2, [running("a"), { id: "b", state: "terminated", failures: 0 }]);
    expect(plan).toEqual({ replace: [], trim: [], gone: ["b"], launch: 1 });
  });

  it(`replaces a stopped member, and a running one after ${UNHEALTHY_AFTER} failed checks`, () => {
    const plan = planScaling(3, [
      running("a", UNHEALTHY_AFTER),
      running("b", UNHEALTHY_AFTER - 1),
      { id: "c", state: "stopped", failures: 0 },
    ]);
    expect(plan.replace).toEqual(["a", "c"]);
    expect(plan.launch).toBe(2);
  });

  it("trims the newest beyond the desired count", () => {
    expect(planScaling(1, [running("a"), running("b"), running("c")])).toMatchObject({
      trim: ["c", "b"],
      launch: 0,
    });
  });
});

describe("checkScalingSpec", () => {
  const input = {
    name: "web-asg",
    imageId: "img-1",
    typeName: "t.small",
    groupId: "sg-1",
    desired: "2",
    min: "1",
    max: "3",
    healthCheck: "",
  };
  const check = (value: unknown) => checkScalingSpec(value, ["img-1"], ["sg-1"]);

  it("takes a good form, with the default health check when left empty", () => {
    expect(check(input)).toEqual({
      ok: true,
      spec: {
        ...input,
        desired: 2,
        min: 1,
        max: 3,
        healthCheck: DEFAULT_HEALTH_CHECK,
        userData: "",
      },
    });
  });

  it("says which field is wrong", () => {
    const where = (value: unknown) => {
      const result = check(value);
      return result.ok ? [] : result.issues.map((i) => i.where);
    };
    expect(where({ ...input, desired: "4" })).toEqual(["desired"]);
    expect(where({ ...input, max: "9" })).toEqual(["max"]);
    expect(where({ ...input, name: "Web ASG" })).toEqual(["name"]);
    expect(where({ ...input, imageId: "img-2", groupId: "sg-2" })).toEqual(["imageId", "groupId"]);
  });
});

describe("load balancer", () => {
  it("writes only addresses into the targets file", () => {
    expect(setTargetsCommand(["10.0.0.3", "10.0.0.4"])).toBe(
      "echo '10.0.0.3 10.0.0.4' > /lb/targets",
    );
    expect(setTargetsCommand(["10.0.0.3'; rm -rf /; '"])).toBe("echo '' > /lb/targets");
  });

  it("counts what each target served and failed", () => {
    const output = "served 10.0.0.3\nserved 10.0.0.4\nserved 10.0.0.3\nfailed 10.0.0.4\nnoise\n";
    expect(parseCounts(output)).toEqual({
      "10.0.0.3": { served: 2, failed: 0 },
      "10.0.0.4": { served: 1, failed: 1 },
    });
  });

  it("serves round robin with a CGI program behind busybox httpd", () => {
    expect(LOAD_BALANCER_USER_DATA).toContain("httpd -p 80 -h /lb/www");
    expect(LOAD_BALANCER_USER_DATA).toMatch(
      /cat > \/lb\/www\/cgi-bin\/index.cgi <<'CGI_END'\n#!\/bin\/sh\n/,
    );
    expect(LOAD_BALANCER_USER_DATA).toMatch(/\nCGI_END\n/);
  });
});
