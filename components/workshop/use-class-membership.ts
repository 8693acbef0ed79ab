"use client";

import { useCallback, useEffect, useState } from "react";
import { ClassStore, type Membership } from "@/lib/class/outbox";
import { markJoined, MEMBERSHIP_CHANGED } from "./class-joined";

let storePromise: Promise<ClassStore> | null = null;

/** One IndexedDB connection for the page's class parts. */
export function classStore(): Promise<ClassStore> {
  storePromise ??= ClassStore.open().catch((error: unknown) => {
    storePromise = null;
    throw error;
  });
  return storePromise;
}

export async function saveMembership(membership: Membership | null): Promise<void> {
  await (await classStore()).setMembership(membership);
  markJoined(membership !== null);
}

/** The class this browser has joined: undefined while reading, null when none. */
export function useClassMembership(): Membership | null | undefined {
  const [membership, setMembership] = useState<Membership | null | undefined>(undefined);
  const read = useCallback(() => {
    classStore()
      .then((store) => store.membership())
      .then(setMembership, () => setMembership(null));
  }, []);
  useEffect(() => {
    read();
    window.addEventListener(MEMBERSHIP_CHANGED, read);
    return () => window.removeEventListener(MEMBERSHIP_CHANGED, read);
  }, [read]);
  return membership;
}
