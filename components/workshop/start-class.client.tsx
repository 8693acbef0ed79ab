"use client";

import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { ClassApiError, classApi } from "@/lib/class/client";
import { CODE_PATTERN, MAX_TITLE_CHARS } from "@/lib/class/limits";

export interface InstructorSession {
  code: string;
  token: string;
  title: string;
}

/** Creating a class, or opening one created on another device with its code and token. */
export function StartClass({ onStart }: { onStart: (session: InstructorSession) => void }) {
  const id = useId();
  const [title, setTitle] = useState("");
  const [key, setKey] = useState("");
  const [needsKey, setNeedsKey] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState("");
  const [token, setToken] = useState("");
  const [openError, setOpenError] = useState<string | undefined>();

  async function create(event: FormEvent) {
    event.preventDefault();
    const wanted = title.trim();
    if (!wanted) return setError("Give the class a title (the learners do not see it).");
    if (wanted.length > MAX_TITLE_CHARS) return setError(`At most ${MAX_TITLE_CHARS} characters.`);
    setBusy(true);
    setError(undefined);
    try {
      const created = await classApi.create(wanted, key.trim() || undefined);
      onStart({ code: created.code, token: created.instructorToken, title: wanted });
    } catch (failure) {
      if (failure instanceof ClassApiError && (failure.status === 401 || failure.status === 403)) {
        setNeedsKey(true);
        setError(
          failure.status === 401
            ? "This site asks for its class-creation key: type it below."
            : "That is not this site's class-creation key.",
        );
      } else {
        setError((failure as Error).message);
      }
    } finally {
      setBusy(false);
    }
  }

  async function open(event: FormEvent) {
    event.preventDefault();
    const wanted = code.trim().toUpperCase();
    if (!CODE_PATTERN.test(wanted)) return setOpenError("The code has six letters and digits.");
    try {
      const view = await classApi.view(wanted, token.trim());
      onStart({ code: wanted, token: token.trim(), title: view.title });
    } catch (failure) {
      setOpenError((failure as Error).message);
    }
  }

  return (
    <div className="grid gap-8 md:grid-cols-2">
      <form
        onSubmit={(event) => void create(event)}
        noValidate
        className="space-y-3"
        aria-label="Create a class"
      >
        <h2 className="text-xl font-semibold">Create a class</h2>
        <Field
          id={`${id}-title`}
          label="Title"
          hint="For you: which group, which day."
          error={needsKey ? undefined : error}
        >
          {(control) => (
            <Input
              {...control}
              className="mt-1 block w-full"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
            />
          )}
        </Field>
        {needsKey ? (
          <Field id={`${id}-key`} label="Class-creation key" error={error}>
            {(control) => (
              <Input
                {...control}
                type="password"
                className="mt-1 block w-full"
                value={key}
                onChange={(e) => setKey(e.target.value)}
              />
            )}
          </Field>
        ) : null}
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? "Creating…" : "Create class"}
        </Button>
      </form>
      <form
        onSubmit={(event) => void open(event)}
        noValidate
        className="space-y-3"
        aria-label="Open a class from another device"
      >
        <h2 className="text-xl font-semibold">Open a class from another device</h2>
        <Field id={`${id}-code`} label="Class code">
          {(control) => (
            <Input
              {...control}
              className="mt-1 block w-full font-mono uppercase"
              autoComplete="off"
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          )}
        </Field>
        <Field id={`${id}-token`} label="Instructor token" error={openError}>
          {(control) => (
            <Input
              {...control}
              className="mt-1 block w-full font-mono"
              autoComplete="off"
              value={token}
              onChange={(e) => setToken(e.target.value)}
            />
          )}
        </Field>
        <Button type="submit">Open class</Button>
      </form>
    </div>
  );
}
