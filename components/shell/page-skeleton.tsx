import { getMessages } from "@/lib/i18n/server";

export type SkeletonKind = "list" | "detail" | "form" | "auth";

/**
 * A route's loading.tsx: grey blocks in the rough shape of the page that is coming, busy for
 * assistive technology (aria-busy, and a visually hidden "Indlæser…"/"Loading…" status text).
 * The blocks themselves are hidden from screen readers. Styles: `.skeleton*` in app/globals.css.
 */
export async function PageSkeleton({ kind }: { kind: SkeletonKind }) {
  const { t } = await getMessages();
  return (
    <div className="skeleton-page" aria-busy="true" data-skeleton={kind}>
      <p role="status" className="sr-only">
        {t.shell.loading}
      </p>
      <div aria-hidden="true" className="space-y-6">
        <Blocks kind={kind} />
      </div>
    </div>
  );
}

function Bar({ className }: { className: string }) {
  return <div className={`skeleton ${className}`} />;
}

function Blocks({ kind }: { kind: SkeletonKind }) {
  switch (kind) {
    case "auth":
      return (
        <>
          <Bar className="h-7 w-1/2" />
          <Bar className="skeleton-field" />
          <Bar className="skeleton-field" />
          <Bar className="h-9 w-28" />
        </>
      );
    case "list":
      return (
        <>
          <Bar className="h-8 w-72 max-w-full" />
          <div className="flex gap-3">
            <Bar className="h-8 w-32" />
            <Bar className="h-8 w-32" />
          </div>
          <Bar className="h-16 w-full" />
          <div className="skeleton-table">
            {["a", "b", "c", "d", "e", "f"].map((row) => (
              <Bar key={row} className="h-6 w-full" />
            ))}
          </div>
        </>
      );
    case "detail":
      return (
        <>
          <Bar className="h-4 w-24" />
          <Bar className="h-8 w-64 max-w-full" />
          <div className="skeleton-card">
            {["a", "b", "c", "d", "e"].map((row) => (
              <Bar key={row} className="h-4 w-full sm:w-2/3" />
            ))}
          </div>
          <Bar className="h-6 w-48" />
          <div className="skeleton-card">
            <Bar className="h-4 w-full" />
            <Bar className="h-4 w-5/6" />
          </div>
        </>
      );
    default:
      return (
        <>
          <div className="space-y-2">
            <Bar className="h-8 w-64 max-w-full" />
            <Bar className="h-4 w-full max-w-xl" />
          </div>
          {["a", "b"].map((card) => (
            <div key={card} className="skeleton-card">
              <Bar className="h-5 w-48" />
              <Bar className="skeleton-field" />
              <Bar className="skeleton-field" />
              <Bar className="h-9 w-32" />
            </div>
          ))}
        </>
      );
  }
}
