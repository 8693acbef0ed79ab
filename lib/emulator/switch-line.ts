import type { SwitchCredits } from "./switch-protocol";

/**
 * A VM worker's end of its line to the switch's worker: frames out as transferred buffers, frames
 * in to the network card, and each frame taken counted back to the switch (on the shared credit
 * board, or without one in a message per batch) so that the switch can bound the VM's queue.
 *
 * A frame goes into the card only when the card has room: v86's virtio-net drops a frame when the
 * guest has no receive buffer posted, silently for TCP (which then backs off for a retransmit
 * timeout). Held here instead, it waits a turn of this thread (behind the guest's next slice) while the
 * guest refills its ring,
 * and the switch's bound on the queue (frames not yet taken) drops what is beyond it, counted.
 */

const FRUITLESS_RETRIES = 16;
const RETRY_IDLE_MS = 5;

/** Puts a frame into the network card; false when the card has no room now. */
export type IntoNic = (frame: Uint8Array) => boolean;

export class VmSwitchLine {
  private readonly board: Int32Array | undefined;
  /** Frames the guest sent in this slice of its run, posted together when the slice is over. */
  private outgoing: ArrayBuffer[] = [];
  private unreported = 0;
  private reportTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly waiting: Uint8Array[] = [];
  /**
   * Retries go through a MessageChannel: a task queued behind the emulator's own next slice (its
   * yield is a message too), not a timer, which a chain of retries would stretch to 4 ms each.
   * After FRUITLESS_RETRIES in a row that took nothing (the guest is paused, or has not set its
   * card up yet) they wait RETRY_IDLE_MS instead, so that a stalled card costs no CPU.
   */
  private readonly retry = new MessageChannel();
  private retrying = false;
  private fruitless = 0;

  constructor(
    private readonly line: MessagePort,
    private readonly credits: SwitchCredits | undefined,
    private readonly intoNic: IntoNic,
  ) {
    this.board = credits && new Int32Array(credits.buffer);
    this.retry.port1.onmessage = () => {
      this.retrying = false;
      this.drain();
    };
    line.onmessage = (event: MessageEvent<ArrayBuffer[]>) => {
      for (const frame of event.data) this.waiting.push(new Uint8Array(frame));
      this.drain();
    };
  }

  /** A frame the guest sent; v86 reuses its buffer, so a copy goes. */
  send(frame: Uint8Array): void {
    this.outgoing.push(frame.slice().buffer);
    // The emulator sends a slice's frames from one task: they go in one message after it.
    if (this.outgoing.length === 1) queueMicrotask(() => this.flush());
  }

  private flush(): void {
    const batch = this.outgoing;
    this.outgoing = [];
    this.line.postMessage(batch, batch);
  }

  close(): void {
    clearTimeout(this.reportTimer);
    this.retry.port1.close();
    this.line.close();
  }

  private drain(): void {
    let taken = 0;
    while (this.waiting.length > 0 && this.intoNic(this.waiting[0]!)) {
      this.waiting.shift();
      taken++;
    }
    if (taken > 0) this.taken(taken);
    this.fruitless = taken > 0 ? 0 : this.fruitless + 1;
    if (this.waiting.length === 0 || this.retrying) return;
    this.retrying = true;
    if (this.fruitless < FRUITLESS_RETRIES) this.retry.port2.postMessage(null);
    else setTimeout(() => this.retry.port2.postMessage(null), RETRY_IDLE_MS);
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
