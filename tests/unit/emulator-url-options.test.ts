import { describe, expect, it } from "vitest";
import { yieldModeFromSearch } from "@/lib/emulator/url-options";

describe("yieldModeFromSearch", () => {
  it("takes a mode the runtime has", () => {
    expect(yieldModeFromSearch("?yield=message-channel")).toBe("message-channel");
    expect(yieldModeFromSearch("?a=1&yield=timeout")).toBe("timeout");
  });
  it("ignores a missing, empty, repeated-first-wins or unknown mode", () => {
    expect(yieldModeFromSearch("")).toBeUndefined();
    expect(yieldModeFromSearch("?yield=")).toBeUndefined();
    expect(yieldModeFromSearch("?yield=fast")).toBeUndefined();
    expect(yieldModeFromSearch("?yield=__proto__")).toBeUndefined();
    expect(yieldModeFromSearch("?yield=scheduler&yield=fast")).toBe("scheduler");
  });
});
