import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { decodeBase64, encodeBase64 } from "@/lib/guest-agent/base64";
import { AgentClient, type AgentTransport } from "@/lib/guest-agent/client";
import {
  AGENT_MAX_LINE,
  AgentResponseParser,
  encodePing,
  encodeRequest,
  outputText,
  type AgentMessage,
} from "@/lib/guest-agent/protocol";

const enc = new TextEncoder();
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe("base64", () => {
  it("matches Node's encoder and round-trips any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const b64 = encodeBase64(bytes);
        expect(b64).toBe(Buffer.from(bytes).toString("base64"));
        expect(decodeBase64(b64)).toEqual(bytes);
      }),
    );
  });

  it("rejects text that is not base64", () => {
    expect(decodeBase64("abc")).toBeUndefined();
    expect(decodeBase64("ab$=")).toBeUndefined();
    expect(decodeBase64("a=bc")).toBeUndefined();
  });
});

describe("encodeRequest", () => {
  it("frames a command as one RUN line with its timeout", () => {
    expect(text(encodeRequest({ id: "c1", command: "echo hi", timeoutS: 5 }))).toBe(
      `RUN c1 5 ${Buffer.from("echo hi").toString("base64")}\n`,
    );
  });

  it("keeps newlines and quotes of the command inside the base64 payload", () => {
    const line = text(encodeRequest({ id: "x", command: "printf 'a\\n'\necho \"b\"" }));
    expect(line.split("\n")).toHaveLength(2);
    expect(Buffer.from(line.trim().split(" ")[3]!, "base64").toString()).toBe(
      "printf 'a\\n'\necho \"b\"",
    );
  });

  it("refuses ids that would break the framing", () => {
    expect(() => encodeRequest({ id: "a b", command: "true" })).toThrow(/invalid agent request id/);
    expect(() => encodePing("")).toThrow(/invalid agent request id/);
  });
});

describe("AgentResponseParser", () => {
  const binary = Uint8Array.from([0, 1, 2, 10, 13, 255, 254, 0x80]);
  const stream = enc.encode(
    `noise from before the agent\r\nHELLO vlabs-agent 1\nRES c1 0 0 ${encodeBase64(enc.encode("hello\n"))}\r\n` +
      `RES c2 3 1 ${encodeBase64(binary)}\nERR c3 bad-base64\nPONG p1\nRES c4 1 0 \n`,
  );
  const expected: AgentMessage[] = [
    { type: "garbage", line: "noise from before the agent" },
    { type: "hello", version: 1 },
    { type: "result", id: "c1", status: 0, truncated: false, output: enc.encode("hello\n") },
    { type: "result", id: "c2", status: 3, truncated: true, output: binary },
    { type: "error", id: "c3", reason: "bad-base64" },
    { type: "pong", id: "p1" },
    { type: "result", id: "c4", status: 1, truncated: false, output: new Uint8Array() },
  ];

  it("parses a whole stream", () => {
    expect(new AgentResponseParser().push(stream)).toEqual(expected);
  });

  it("gives the same messages however the bytes are split", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: stream.length }), { maxLength: 12 }),
        (cuts) => {
          const parser = new AgentResponseParser();
          const points = [0, ...[...new Set(cuts)].sort((a, b) => a - b), stream.length];
          const got: AgentMessage[] = [];
          for (let i = 0; i + 1 < points.length; i++)
            got.push(...parser.push(stream.subarray(points[i], points[i + 1])));
          expect(got).toEqual(expected);
        },
      ),
    );
  });

  it("accepts single bytes as numbers", () => {
    const parser = new AgentResponseParser();
    const got = [...stream].flatMap((b) => parser.push(b));
    expect(got).toEqual(expected);
  });

  it("reports malformed results as garbage instead of guessing", () => {
    const got = new AgentResponseParser().push(
      enc.encode("RES c1 x 0 aGk=\nRES c1 0 0 a$==\nRES c1 0 2 aGk=\n"),
    );
    expect(got.map((m) => m.type)).toEqual(["garbage", "garbage", "garbage"]);
  });

  it("drops an over-long line and recovers on the next one", () => {
    const parser = new AgentResponseParser();
    const long = new Uint8Array(AGENT_MAX_LINE + 10).fill(65);
    expect(parser.push(long)).toEqual([]);
    const got = parser.push(enc.encode("\nPONG p2\n"));
    expect(got).toEqual([
      { type: "garbage", line: "(line longer than AGENT_MAX_LINE dropped)" },
      { type: "pong", id: "p2" },
    ]);
  });

  it("decodes output as UTF-8 text", () => {
    expect(outputText(enc.encode("größe ✓"))).toBe("größe ✓");
  });
});

function fakeTransport(): AgentTransport & { sent: string[]; emit(s: string): void } {
  let listener: ((b: Uint8Array) => void) | undefined;
  return {
    sent: [],
    send(bytes) {
      this.sent.push(text(bytes));
    },
    onBytes(l) {
      listener = l;
      return () => {
        listener = undefined;
      };
    },
    emit(s) {
      listener?.(enc.encode(s));
    },
  };
}

describe("AgentClient", () => {
  it("matches answers to requests by id", async () => {
    const t = fakeTransport();
    const client = new AgentClient(t);
    const ready = client.waitReady(1000);
    t.emit("HELLO vlabs-agent 1\n");
    await ready;
    expect(t.sent).toEqual(["PING p1\n"]);
    t.sent.length = 0;
    const a = client.run("false");
    const b = client.run("echo ok");
    expect(t.sent).toEqual([
      `RUN c2 10 ${encodeBase64(enc.encode("false"))}\n`,
      `RUN c3 10 ${encodeBase64(enc.encode("echo ok"))}\n`,
    ]);
    t.emit(`RES c3 0 0 ${encodeBase64(enc.encode("ok\n"))}\nRES c2 1 0 \n`);
    await expect(b).resolves.toMatchObject({ status: 0, output: "ok\n", truncated: false });
    await expect(a).resolves.toMatchObject({ status: 1, output: "" });
    client.dispose();
  });

  it("times out when the guest never answers, and rejects pending requests on dispose", async () => {
    vi.useFakeTimers();
    try {
      const t = fakeTransport();
      const client = new AgentClient(t);
      const late = client.run("sleep 100", { timeoutS: 1 });
      const expectation = expect(late).rejects.toThrow(/no answer to request c1 within 6 s/);
      await vi.advanceTimersByTimeAsync(6000);
      await expectation;
      const orphan = client.run("true");
      client.dispose();
      await expect(orphan).rejects.toThrow(/disposed/);
    } finally {
      vi.useRealTimers();
    }
  });

  it("finds an agent that started before the client by pinging it", async () => {
    vi.useFakeTimers();
    try {
      const t = fakeTransport();
      const client = new AgentClient(t);
      const ready = client.waitReady(5000);
      await vi.advanceTimersByTimeAsync(450);
      expect(t.sent).toEqual(["PING p1\n", "PING p2\n", "PING p3\n"]);
      t.emit("PONG p3\n");
      await ready;
      client.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it("stops pinging and rejects waitReady when disposed (no timer outlives the client)", async () => {
    vi.useFakeTimers();
    try {
      const t = fakeTransport();
      const client = new AgentClient(t);
      const ready = client.waitReady(10_000);
      const expectation = expect(ready).rejects.toThrow(/disposed/);
      await vi.advanceTimersByTimeAsync(250);
      client.dispose();
      await expectation;
      expect(vi.getTimerCount()).toBe(0);
      const sent = t.sent.length;
      await vi.advanceTimersByTimeAsync(1000);
      expect(t.sent.length).toBe(sent);
    } finally {
      vi.useRealTimers();
    }
  });

  it("forgets a waitReady that timed out", async () => {
    vi.useFakeTimers();
    try {
      const client = new AgentClient(fakeTransport());
      const late = expect(client.waitReady(1000)).rejects.toThrow(/within 1000 ms/);
      await vi.advanceTimersByTimeAsync(1000);
      await late;
      expect(vi.getTimerCount()).toBe(0);
      client.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it("rejects when the agent refuses a request", async () => {
    const t = fakeTransport();
    const client = new AgentClient(t);
    const p = client.run("x");
    t.emit("ERR c1 bad-base64\n");
    await expect(p).rejects.toThrow(/refused request c1: bad-base64/);
    client.dispose();
  });
});
