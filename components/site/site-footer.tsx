export function SiteFooter() {
  return (
    <footer className="border-t border-slate-200 py-6 text-sm text-slate-600 dark:border-slate-800 dark:text-slate-400">
      <div className="mx-auto max-w-7xl px-4">
        Every virtual machine on this site runs in your own browser. Nothing you type leaves this
        page.
      </div>
    </footer>
  );
}
