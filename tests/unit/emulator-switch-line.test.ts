import { afterEach, expect, it } from "vitest";
import { VmSwitchLine } from "@/lib/emulator/switch-line";

/**
 * A VM worker's end of its line, with the switch's end read directly: what goes out in which
 * message, and when frames held for want of room go into the card.
 */

const open: Array<{ close(): void }> = [];
afterEach(() => open.splice(0).forEach((o) => o.close()));

function line(intoNic: (frame: Uint8Array) => boolean = () => true) {
  const channel = new MessageChannel();
  const messages: unknown[] = [];
  channel.port2.onmessage = (event: MessageEvent<unknown>) => messages.push(event.data);
  const end = new VmSwitchLine(channel.port1, undefined, intoNic);
  open.push(end, channel.port2);
  return { end, messages, switchSide: channel.port2 };
}

const frame = (n: number) => new Uint8Array(60).fill(n);
const settle = () => new Promise((r) => setTimeout(r, 20));
const firstBytes = (batch: unknown) =>
  (batch as ArrayBuffer[]).map((buffer) => new Uint8Array(buffer)[0]);

it("sends a slice's first frame at once and the rest of the slice's frames in one message after it", async () => {
  const { end, messages } = line();
  // One slice (one task): three frames; the next slice: one.
  for (const n of [1, 2, 3]) end.send(frame(n));
  await settle();
  end.send(frame(4));
  await settle();
  expect(messages.map(firstBytes)).toEqual([[1], [2, 3], [4]]);
});

it("copies each frame: the guest's buffer is reused by the emulator", async () => {
  const { end, messages } = line();
  const reused = frame(7);
  end.send(reused);
  reused.fill(9);
  await settle();
  expect(firstBytes(messages[0])).toEqual([7]);
});

it("holds frames the card has no room for until a slice has run, in order, and counts them taken", async () => {
  let room = false;
  const got: number[] = [];
  const { end, messages, switchSide } = line((f) => room && got.push(f[0]!) > 0);
  switchSide.postMessage([frame(1).buffer, frame(2).buffer]);
  await settle();
  end.afterSlice();
  expect(got).toEqual([]);
  room = true;
  switchSide.postMessage([frame(3).buffer]);
  await settle();
  // A frame arriving while others wait goes in behind them, here at once since the card has room.
  expect(got).toEqual([1, 2, 3]);
  room = false;
  switchSide.postMessage([frame(4).buffer]);
  await settle();
  room = true;
  end.afterSlice();
  expect(got).toEqual([1, 2, 3, 4]);
  await settle();
  // Without a shared board, the count of frames taken goes back as a number.
  expect(
    messages.filter((m) => typeof m === "number").reduce<number>((a, m) => a + (m as number), 0),
  ).toBe(4);
});
