import { afterEach, expect, it } from "vitest";
import { inThreadSwitch, PageSwitch, type SwitchPortHandle } from "@/lib/emulator/page-switch";
import { VmSwitchLine } from "@/lib/emulator/switch-line";

/**
 * Security groups as the page installs them: a policy sent to the switch's service (the code its
 * worker runs, here on a MessageChannel) guards a port; frames cross VM lines as they do from VM
 * workers, and the refusal shows in the counters the page reads.
 */

const MAC_A = [2, 0, 0, 0, 0, 0xa];
const MAC_B = [2, 0, 0, 0, 0, 0xb];

/** A TCP SYN from 10.0.0.1:40000 to 10.0.0.2:`port`, as a guest puts it on the wire. */
function syn(port: number): Uint8Array {
  const ip = [0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
  const tcp = [0x9c, 0x40, port >> 8, port & 255, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff];
  return Uint8Array.from([...MAC_B, ...MAC_A, 0x08, 0x00, ...ip, ...tcp, 0, 0, 0, 0]);
}

let sw: PageSwitch | undefined;
const ends: VmSwitchLine[] = [];
afterEach(() => {
  ends.splice(0).forEach((end) => end.close());
  sw?.destroy();
});

function vm(port: SwitchPortHandle) {
  const got: Uint8Array[] = [];
  const { line, credits } = port.connect();
  const end = new VmSwitchLine(line, credits, (f) => got.push(f) > 0);
  ends.push(end);
  return { got, send: (f: Uint8Array) => end.send(f) };
}

async function settle(ms = 400): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

it("drops and counts what a guarded port's rules do not allow, and lets it in once they do", async () => {
  sw = new PageSwitch(inThreadSwitch);
  const client = sw.addPort("client")!;
  const web = sw.addPort("web")!;
  const a = vm(client);
  const b = vm(web);
  sw.setFilter({ guarded: [{ port: web.id, rules: [] }] });
  a.send(syn(80));
  await settle();
  expect(b.got).toHaveLength(0);
  expect(web.counters.filtered).toBe(1);

  sw.setFilter({
    guarded: [
      {
        port: web.id,
        rules: [{ protocol: "tcp", fromPort: 80, toPort: 80, source: "10.0.0.0/24" }],
      },
    ],
  });
  a.send(syn(80));
  a.send(syn(22));
  await settle();
  expect(b.got.map((f) => (f[36]! << 8) | f[37]!)).toEqual([80]);
  expect(web.counters.filtered).toBe(2);

  // No policy at all: nothing is guarded.
  sw.setFilter(undefined);
  a.send(syn(22));
  await settle();
  expect(b.got).toHaveLength(2);
});
