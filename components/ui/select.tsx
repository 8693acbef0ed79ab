import type { ComponentPropsWithRef } from "react";
import { controlClass } from "./field";

export type SelectProps = ComponentPropsWithRef<"select">;

/** A native select (keyboard, touch and screen readers as the platform does them). */
export function Select({ className, ...props }: SelectProps) {
  return (
    <select
      className={controlClass({ invalid: Boolean(props["aria-invalid"]), className })}
      {...props}
    />
  );
}
