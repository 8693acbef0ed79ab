"use client";

import dynamic from "next/dynamic";
import { useJoinedFlag } from "./class-joined";

const ClassMember = dynamic(
  () => import("./class-member.client").then((module) => module.ClassMember),
  { ssr: false },
);

/** The class in the site header, loaded only in a browser that has joined one. */
export function ClassHeader() {
  return useJoinedFlag() ? <ClassMember /> : null;
}
