export const SITE_NAME = "Virtualization Labs";
export const SITE_DESCRIPTION =
  "Learn virtualization by doing it: create, install, run and measure real x86 virtual machines in your browser.";

/** Prefixes a site path with the configured base path (static hosting under a sub-path). */
export function withBasePath(pathname: string): string {
  return `${process.env.NEXT_PUBLIC_BASE_PATH ?? ""}${pathname}`;
}
