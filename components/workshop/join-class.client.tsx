"use client";

import { useEffect, useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { ClassApiError, classApi, NoClassServerError } from "@/lib/class/client";
import { CODE_PATTERN, MAX_NAME_CHARS } from "@/lib/class/limits";
import { leaveClass } from "./class-member.client";
import { saveMembership, useClassMembership } from "./use-class-membership";

/** Whether this site has the class server: null while asking. */
export function useClassServer(): boolean | null {
  const [available, setAvailable] = useState<boolean | null>(null);
  useEffect(() => {
    classApi.health().then(
      (health) => setAvailable(health.ok),
      () => setAvailable(false),
    );
  }, []);
  return available;
}

export function NoClassServer() {
  return (
    <p className="rounded-md border border-slate-300 p-3 text-sm dark:border-slate-700">
      A live class needs the course&apos;s server (<code>npm start</code>). This copy of the site is
      static files only, so classes cannot be joined or run from it.
    </p>
  );
}

/** The workshop page's "Join a class" box: a code and a display name, no account. */
export function JoinClass() {
  const membership = useClassMembership();
  const server = useClassServer();
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<{ code?: string; name?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const id = useId();

  if (membership === undefined) return null;
  if (membership) {
    return (
      <div className="space-y-3">
        <p>
          Joined as <strong>{membership.name}</strong>, class <strong>{membership.code}</strong>.
          Your lab progress goes to the instructor while you stay joined.
        </p>
        <Button onClick={() => void leaveClass(membership)}>Leave the class</Button>
      </div>
    );
  }
  if (server === false) return <NoClassServer />;

  async function join(event: FormEvent) {
    event.preventDefault();
    const wanted = code.trim().toUpperCase();
    const display = name.trim();
    const found = {
      code: CODE_PATTERN.test(wanted) ? undefined : "The code has six letters and digits.",
      name: !display
        ? "Type the name the instructor will see."
        : display.length > MAX_NAME_CHARS
          ? `At most ${MAX_NAME_CHARS} characters.`
          : undefined,
    };
    setErrors(found);
    if (found.code || found.name) return;
    setBusy(true);
    try {
      const joined = await classApi.join(wanted, display);
      await saveMembership({ code: wanted, name: display, ...joined, joinedAt: Date.now() });
    } catch (error) {
      if (error instanceof ClassApiError && error.status === 404) {
        setErrors({ code: `There is no class ${wanted}: check the code on the projector.` });
      } else if (error instanceof ClassApiError && error.status === 400) {
        setErrors({ name: error.message });
      } else if (error instanceof NoClassServerError) {
        setErrors({ form: `Could not reach the class server: ${error.message}.` });
      } else {
        setErrors({ form: (error as Error).message });
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={(event) => void join(event)}
      noValidate
      className="space-y-3"
      aria-label="Join a class"
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id={`${id}-code`} label="Class code" error={errors.code}>
          {(control) => (
            <Input
              {...control}
              className="mt-1 block w-full font-mono uppercase"
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              maxLength={12}
              value={code}
              onChange={(event) => setCode(event.target.value)}
            />
          )}
        </Field>
        <Field
          id={`${id}-name`}
          label="Your name"
          hint="Shown to the instructor only."
          error={errors.name}
        >
          {(control) => (
            <Input
              {...control}
              className="mt-1 block w-full"
              autoComplete="nickname"
              maxLength={MAX_NAME_CHARS + 20}
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
      </div>
      {errors.form ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {errors.form}
        </p>
      ) : null}
      <Button type="submit" variant="primary" disabled={busy}>
        {busy ? "Joining…" : "Join"}
      </Button>
    </form>
  );
}
