export const SITE_NAME = "Virtualization Labs";
export const SITE_DESCRIPTION =
  "Learn virtualization by doing it: create, install, run and measure real x86 virtual machines in your browser.";

/** Prefixes a site path with the configured base path (static hosting under a sub-path). */
export function withBasePath(pathname: string): string {
  return `${process.env.NEXT_PUBLIC_BASE_PATH ?? ""}${pathname}`;
}

/** Where the site is hosted, for the sitemap and social previews (SITE_URL at build time). */
export const SITE_URL = (process.env.SITE_URL ?? "http://localhost:3000").replace(/\/$/, "");

export function absoluteUrl(pathname: string): string {
  return `${SITE_URL}${withBasePath(pathname)}`;
}
