import Link from "next/link";
import { ClassHeader } from "@/components/workshop/class-header.client";
import { SITE_NAME } from "@/lib/site";

// The logo already leads home, so phones leave out "Course" to keep the rest on one line.
const NAV_LINKS = [
  { href: "/", label: "Course", wideOnly: true },
  { href: "/playground", label: "Playground" },
  { href: "/glossary", label: "Glossary" },
  { href: "/workshop", label: "Workshop" },
  { href: "/search", label: "Search" },
];

export function SiteHeader() {
  return (
    <header className="sticky top-0 z-40 border-b border-slate-200 bg-white/90 backdrop-blur dark:border-slate-800 dark:bg-slate-950/90">
      <div className="mx-auto flex h-14 max-w-7xl items-center justify-between gap-2 px-3 sm:gap-4 sm:px-4">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <LogoMark />
          <span className="hidden sm:inline">{SITE_NAME}</span>
          <span className="sr-only sm:hidden">{SITE_NAME}</span>
        </Link>
        <div className="ml-auto">
          <ClassHeader />
        </div>
        <nav aria-label="Site">
          <ul className="flex items-center text-sm sm:gap-1">
            {NAV_LINKS.map((link) => (
              <li key={link.href} className={"wideOnly" in link ? "hidden sm:block" : undefined}>
                <Link
                  href={link.href}
                  className="rounded-md px-1.5 py-2 text-slate-700 sm:px-3 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white"
                >
                  {link.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </div>
    </header>
  );
}

function LogoMark() {
  return (
    <svg aria-hidden="true" viewBox="0 0 32 32" className="h-7 w-7">
      <rect x="2" y="4" width="28" height="24" rx="4" className="fill-brand-600" />
      <rect x="6" y="8" width="9" height="7" rx="1.5" className="fill-white" />
      <rect x="17" y="8" width="9" height="7" rx="1.5" className="fill-white/80" />
      <rect x="6" y="17" width="9" height="7" rx="1.5" className="fill-white/80" />
      <rect x="17" y="17" width="9" height="7" rx="1.5" className="fill-white" />
    </svg>
  );
}
