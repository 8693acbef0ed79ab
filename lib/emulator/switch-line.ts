import type { SwitchCredits } from "./switch-protocol";

/**
 * A VM worker's end of its line to the switch's worker: frames out as transferred buffers, frames
 * in to the network card, and each frame taken counted back to the switch (on the shared credit
 * board, or without one in a message per batch) so that the switch can bound the VM's queue.
 *
 * A frame goes into the card only when the card has room: v86's virtio-net drops a frame when the
 * guest has no receive buffer posted, silently for TCP (which then backs off for a retransmit
 * timeout). Held here instead, it goes in after the next slice of guest code (the worker calls
 * `afterSlice()` after each one: only a slice can post buffers), and the switch's bound on the
 * queue (frames not yet taken) drops what is beyond it, counted.
 */

/** Puts a frame into the network card; false when the card has no room now. */
export type IntoNic = (frame: Uint8Array) => boolean;

export class VmSwitchLine {
  private readonly board: Int32Array | undefined;
  /** Frames the guest sent in this slice of its run after the first, posted when it is over. */
  private outgoing: ArrayBuffer[] = [];
  /** The slice has sent its first frame (at once). */
  private sliceSending = false;
  private unreported = 0;
  private reportTimer: ReturnType<typeof setTimeout> | undefined;
  /** Frames the card had no room for, oldest first. */
  private readonly waiting: Uint8Array[] = [];

  constructor(
    private readonly line: MessagePort,
    private readonly credits: SwitchCredits | undefined,
    private readonly intoNic: IntoNic,
  ) {
    this.board = credits && new Int32Array(credits.buffer);
    line.onmessage = (event: MessageEvent<ArrayBuffer[]>) => {
      for (const frame of event.data) this.waiting.push(new Uint8Array(frame));
      this.drain();
    };
  }

  /**
   * A frame the guest sent; v86 reuses its buffer, so a copy goes. The first of a slice goes at
   * once: a ping, or the first segment of a burst, would otherwise wait for the rest of the
   * slice (0.2-0.5 ms measured, each way). The others the slice sends go together after it, in
   * one message.
   */
  send(frame: Uint8Array): void {
    const copy = frame.slice().buffer;
    if (this.sliceSending) {
      this.outgoing.push(copy);
      return;
    }
    this.sliceSending = true;
    this.line.postMessage([copy], [copy]);
    // The emulator runs a slice in one task: this microtask runs once the slice is over.
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.sliceSending = false;
    if (this.outgoing.length === 0) return;
    const batch = this.outgoing;
    this.outgoing = [];
    this.line.postMessage(batch, batch);
  }

  close(): void {
    clearTimeout(this.reportTimer);
    this.line.close();
  }

  /**
   * After a slice of guest code: frames held for want of room go in if the guest posted receive
   * buffers meanwhile. (A retry loop before this polled from messages of its own, which mostly ran
   * before the guest's next slice; after 16 that found no room it waited 5 ms: an iperf3 receiver
   * waited so about 130 times in 10 s.)
   */
  afterSlice(): void {
    if (this.waiting.length > 0) this.drain();
  }

  private drain(): void {
    let taken = 0;
    while (taken < this.waiting.length && this.intoNic(this.waiting[taken]!)) taken++;
    if (taken === 0) return;
    this.waiting.splice(0, taken);
    this.taken(taken);
  }

  private taken(count: number): void {
    if (this.board && this.credits) {
      Atomics.add(this.board, this.credits.slot, count);
      return;
    }
    this.unreported += count;
    this.reportTimer ??= setTimeout(() => {
      this.reportTimer = undefined;
      this.line.postMessage(this.unreported);
      this.unreported = 0;
    }, 0);
  }
}

/** What intoNic reads of a v86 emulator (its bus, and virtio-net's receive queue). */
export interface NicHost {
  bus: { send(event: string, value: unknown): void };
  v86?: {
    cpu: {
      devices: {
        virtio_net?: { virtio: { queues: { avail_addr: number; has_request(): boolean }[] } };
      };
    };
  };
}

/**
 * The frame into the emulator's card, unless its virtio-net receive queue has no buffer posted
 * (an NE2000 takes every frame: its ring overwrites or drops inside the device, as hardware does).
 * Without an emulator (stopped, between boots) a frame is taken and lost.
 */
export function intoNicOf(emulator: NicHost | undefined, frame: Uint8Array): boolean {
  if (!emulator) return true;
  const rx = emulator.v86?.cpu.devices.virtio_net?.virtio.queues[0];
  if (rx && (!rx.avail_addr || !rx.has_request())) return false;
  emulator.bus.send("net0-receive", frame);
  return true;
}
