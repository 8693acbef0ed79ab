"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { classApi, followStream } from "@/lib/class/client";
import type { Broadcast } from "@/lib/class/contract";
import { EventSender, newEventId, type Membership, type SendState } from "@/lib/class/outbox";
import { listenToLabActivity, type LabActivity } from "@/lib/labs/activity";
import { classStore, saveMembership, useClassMembership } from "./use-class-membership";

/**
 * While this browser is in a class: the class in the site header, the lab's activity sent to
 * the class (through the IndexedDB outbox), and the instructor's broadcasts as a banner. A
 * "go to lesson" broadcast offers a link; it never takes the learner away from a running lab.
 */
export function ClassMember() {
  const membership = useClassMembership();
  if (!membership) return null;
  return <ClassConnection key={membership.learnerId} membership={membership} />;
}

function ClassConnection({ membership }: { membership: Membership }) {
  const [state, setState] = useState<SendState>({ kind: "idle" });
  const [pending, setPending] = useState(0);
  const [broadcast, setBroadcast] = useState<Broadcast | null>(null);
  const [dismissed, setDismissed] = useState(membership.dismissedBroadcast ?? 0);
  const memberRef = useRef(membership);

  useEffect(() => {
    const member = memberRef.current;
    const controller = new AbortController();
    let sender: EventSender | undefined;
    const queue = async (event: Omit<LabActivity, "at">, at = Date.now()) => {
      const store = await classStore();
      const when = new Date(at).toISOString();
      await store.enqueue({ ...event, at: when, id: newEventId(), learnerId: member.learnerId });
      sender?.kick();
    };
    const stopListening = listenToLabActivity(
      ({ lesson, step, kind, at }) => void queue({ lesson, step, kind }, at),
    );
    void classStore().then((store) => {
      if (controller.signal.aborted) return;
      sender = new EventSender(store, member, classApi.sendEvents, (next, count) => {
        setState(next);
        setPending(count);
      });
      sender.kick();
    });
    const kick = () => sender?.kick();
    window.addEventListener("online", kick);
    const retry = setInterval(kick, 30_000);
    void followStream(
      "learner-stream",
      member.code,
      member.token,
      {
        onEvent(name, data) {
          if (name === "broadcast") setBroadcast(data as Broadcast);
          if (name === "deleted") setState({ kind: "gone", reason: "the class was deleted" });
        },
        onGone: (error) => setState({ kind: "gone", reason: error.message }),
      },
      controller.signal,
    );
    return () => {
      controller.abort();
      sender?.stop();
      clearInterval(retry);
      window.removeEventListener("online", kick);
      stopListening();
    };
  }, []);

  const dismiss = (id: number) => {
    setDismissed(id);
    memberRef.current = { ...memberRef.current, dismissedBroadcast: id };
    void classStore().then((store) => store.setMembership(memberRef.current));
  };

  const status =
    state.kind === "gone"
      ? "class ended"
      : pending > 0
        ? `${pending} to send${state.kind === "waiting" ? " (offline, retrying)" : ""}`
        : null;

  return (
    <>
      <Link
        href="/workshop#class"
        className="rounded-md bg-brand-100 px-2 py-1 text-xs font-semibold text-brand-700 hover:bg-brand-200 dark:bg-slate-800 dark:text-brand-300"
        data-class-status={state.kind}
      >
        <span className="sr-only">Joined class </span>
        <span aria-hidden="true">Class </span>
        {membership.code}
        {status ? <span className="font-normal">: {status}</span> : null}
      </Link>
      {broadcast && broadcast.id > dismissed ? (
        <div
          role="status"
          aria-label="Message from the instructor"
          className="fixed inset-x-0 top-14 z-30 border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950 shadow dark:border-amber-800 dark:bg-amber-950 dark:text-amber-50"
        >
          <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-3">
            <span className="font-semibold">Instructor:</span>
            {broadcast.message ? <span>{broadcast.message}</span> : null}
            {broadcast.goTo ? (
              <Link href={`/labs/${broadcast.goTo}`} className="font-semibold underline">
                Go to lesson {broadcast.goTo}
              </Link>
            ) : null}
            <Button
              size="sm"
              variant="quiet"
              className="ml-auto"
              onClick={() => dismiss(broadcast.id)}
            >
              Close message
            </Button>
          </div>
        </div>
      ) : null}
    </>
  );
}

/** Leaves the class: what is still queued is tried once more, then this browser forgets it. */
export async function leaveClass(membership: Membership): Promise<void> {
  const store = await classStore();
  const left = await store.pending(membership.learnerId, 100);
  if (left.length > 0) {
    const events = left.map(({ learnerId: _learner, ...event }) => event);
    await classApi.sendEvents(membership.code, membership.token, events).catch(() => undefined);
  }
  await store.removeLearner(membership.learnerId);
  await saveMembership(null);
}
