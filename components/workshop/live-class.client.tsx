"use client";

import { useEffect, useId, useMemo, useState, useSyncExternalStore, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm";
import { Field, Input } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { classApi, followStream } from "@/lib/class/client";
import type { ClassView } from "@/lib/class/contract";
import { downloadBlob } from "@/lib/download";
import { ClassGrid, SORTS, type SortKey } from "./class-grid";
import { NoClassServer, useClassServer } from "./join-class.client";
import { StartClass, type InstructorSession } from "./start-class.client";

/** The instructor's class stays in this browser (the token is the only key to it). */
const SESSION_KEY = "vlabs-class-instructor";

const sessionListeners = new Set<() => void>();

function subscribeSession(listener: () => void): () => void {
  sessionListeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    sessionListeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

function parseSession(saved: string | null): InstructorSession | null {
  try {
    const session = JSON.parse(saved ?? "null") as InstructorSession | null;
    return session && typeof session.code === "string" && typeof session.token === "string"
      ? session
      : null;
  } catch {
    return null;
  }
}

export interface LessonChoice {
  slug: string;
  title: string;
}

/** The session where localStorage cannot be touched (site data blocked): this page only. */
let sessionInMemory: string | null = null;

function readSession(): string | null {
  try {
    return localStorage.getItem(SESSION_KEY);
  } catch {
    return sessionInMemory;
  }
}

function writeSession(value: string | null): void {
  try {
    if (value) localStorage.setItem(SESSION_KEY, value);
    else localStorage.removeItem(SESSION_KEY);
  } catch {
    sessionInMemory = value;
  }
}

/** /workshop/live: create or open a class, then watch it live. */
export function LiveClass({ lessons }: { lessons: LessonChoice[] }) {
  const server = useClassServer();
  // undefined while rendering on the server and before hydration.
  const saved = useSyncExternalStore(subscribeSession, readSession, () => undefined);
  const session = useMemo(() => (saved === undefined ? undefined : parseSession(saved)), [saved]);

  const start = (next: InstructorSession | null) => {
    writeSession(next ? JSON.stringify(next) : null);
    sessionListeners.forEach((listener) => listener());
  };

  if (server === false) return <NoClassServer />;
  if (server === null || session === undefined) return <p>Connecting to the class server…</p>;
  if (!session) return <StartClass onStart={start} />;
  return <ClassDashboard session={session} lessons={lessons} onClose={() => start(null)} />;
}

function ClassDashboard({
  session,
  lessons,
  onClose,
}: {
  session: InstructorSession;
  lessons: LessonChoice[];
  onClose: () => void;
}) {
  const [view, setView] = useState<ClassView | null>(null);
  const [connected, setConnected] = useState(false);
  const [gone, setGone] = useState<string | null>(null);
  const [sort, setSort] = useState<SortKey>("stuck");
  const sortId = useId();

  useEffect(() => {
    const controller = new AbortController();
    void followStream(
      "stream",
      session.code,
      session.token,
      {
        onEvent(name, data) {
          if (name === "class") setView(data as ClassView);
          if (name === "deleted") setGone("This class has been deleted.");
        },
        onConnection: setConnected,
        onGone: (error) => setGone(`This class cannot be opened: ${error.message}.`),
      },
      controller.signal,
    );
    return () => controller.abort();
  }, [session.code, session.token]);

  if (gone) {
    return (
      <div className="space-y-3">
        <p role="alert">{gone}</p>
        <Button onClick={onClose}>Start another class</Button>
      </div>
    );
  }

  return (
    <div className="space-y-10">
      <section aria-labelledby="join-code-heading" className="text-center">
        <h2 id="join-code-heading" className="text-lg font-semibold">
          Join code for {session.title}
        </h2>
        <p
          className="my-2 font-mono text-6xl font-bold tracking-[0.3em] sm:text-8xl"
          data-join-code
        >
          {session.code}
        </p>
        <p className="text-slate-700 dark:text-slate-300">
          Learners open the Workshop page of this site and type this code with their name.
        </p>
      </section>

      <section aria-labelledby="learners-heading" className="space-y-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div>
            <h2 id="learners-heading" className="text-xl font-semibold">
              Learners
            </h2>
            <p className="text-sm text-slate-700 dark:text-slate-300" role="status">
              {connected ? "Live" : "Reconnecting…"}
              {view
                ? ` · ${view.totals.learners} joined · ${view.totals.stuck} stuck · ${view.totals.stepsDone} steps done · ${view.totals.crashes} VM crashes`
                : ""}
            </p>
          </div>
          <div>
            <label htmlFor={sortId} className="mr-2 text-sm font-medium">
              Sort by
            </label>
            <Select
              id={sortId}
              className="text-sm"
              value={sort}
              onChange={(event) => setSort(event.target.value as SortKey)}
            >
              {Object.entries(SORTS).map(([key, label]) => (
                <option key={key} value={key}>
                  {label}
                </option>
              ))}
            </Select>
          </div>
        </div>
        {view ? <ClassGrid view={view} sort={sort} /> : <p>Loading…</p>}
      </section>

      <Broadcast session={session} lessons={lessons} />
      <ClassTools session={session} onClose={onClose} />
    </div>
  );
}

function Broadcast({ session, lessons }: { session: InstructorSession; lessons: LessonChoice[] }) {
  const id = useId();
  const [message, setMessage] = useState("");
  const [goTo, setGoTo] = useState("");
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function send(event: FormEvent) {
    event.preventDefault();
    if (!message.trim() && !goTo) {
      return setResult({ ok: false, text: "Type a message or pick a lesson." });
    }
    try {
      await classApi.broadcast(session.code, session.token, {
        message: message.trim() || undefined,
        goTo: goTo || undefined,
      });
      setResult({ ok: true, text: "Sent to every learner in the class." });
      setMessage("");
    } catch (error) {
      setResult({ ok: false, text: (error as Error).message });
    }
  }

  return (
    <form
      onSubmit={(event) => void send(event)}
      noValidate
      className="space-y-3"
      aria-labelledby={`${id}-h`}
    >
      <h2 id={`${id}-h`} className="text-xl font-semibold">
        Tell everyone
      </h2>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id={`${id}-message`} label="Message">
          {(control) => (
            <Input
              {...control}
              className="mt-1 block w-full"
              maxLength={500}
              value={message}
              onChange={(e) => setMessage(e.target.value)}
            />
          )}
        </Field>
        <Field id={`${id}-goto`} label="Offer a lesson to go to">
          {(control) => (
            <Select
              {...control}
              className="mt-1 block w-full"
              value={goTo}
              onChange={(e) => setGoTo(e.target.value)}
            >
              <option value="">No lesson</option>
              {lessons.map((lesson) => (
                <option key={lesson.slug} value={lesson.slug}>
                  {lesson.title}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <Button type="submit" variant="primary">
        Send to the class
      </Button>
      {result ? (
        <p role={result.ok ? "status" : "alert"} className="text-sm">
          {result.text}
        </p>
      ) : null}
    </form>
  );
}

function ClassTools({ session, onClose }: { session: InstructorSession; onClose: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const tokenId = useId();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(session.token);
      setCopied("Copied.");
    } catch {
      setCopied("Copying is not allowed here: select the token and copy it.");
    }
  };
  const exportCsv = async () =>
    downloadBlob(
      await classApi.exportCsv(session.code, session.token),
      `class-${session.code}.csv`,
    );

  return (
    <section aria-labelledby="tools-heading" className="space-y-4">
      <h2 id="tools-heading" className="text-xl font-semibold">
        The class
      </h2>
      <div className="flex flex-wrap gap-3">
        <Button onClick={() => void exportCsv()}>Export progress (CSV)</Button>
        <Button onClick={onClose}>Close on this device</Button>
        <ConfirmButton
          label="Delete the class"
          question="Delete the class with every learner's name and progress? This cannot be undone."
          onConfirm={async () => {
            await classApi.remove(session.code, session.token);
            onClose();
          }}
        />
      </div>
      <div>
        <label htmlFor={tokenId} className="font-medium">
          Instructor token
        </label>
        <p className="text-sm text-slate-700 dark:text-slate-300">
          The key to this class. To watch it from a second device, open this page there and use
          &quot;Open a class from another device&quot; with the code and this token.
        </p>
        <div className="mt-1 flex gap-2">
          <Input
            id={tokenId}
            readOnly
            className="mt-1 block w-full font-mono"
            value={session.token}
          />
          <Button onClick={() => void copy()}>Copy token</Button>
        </div>
        {copied ? (
          <p role="status" className="text-sm">
            {copied}
          </p>
        ) : null}
      </div>
    </section>
  );
}
