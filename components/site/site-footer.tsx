import { OfflineStatus } from "./offline-status.client";

export function SiteFooter() {
  return (
    <footer className="border-t border-slate-200 py-6 text-sm text-slate-600 dark:border-slate-800 dark:text-slate-400">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-3 px-4">
        <p>
          Every virtual machine on this site runs in your own browser. Nothing you type leaves this
          page.
        </p>
        <OfflineStatus />
      </div>
    </footer>
  );
}
