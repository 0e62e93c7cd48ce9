"use client";

import { createContext, useCallback, useContext, useEffect, useId, useState } from "react";

export type SkeletonKind = "list" | "detail" | "form";

/**
 * The app's loading state, shown while a link's page loads. Not a loading.tsx on purpose: on
 * Next 15.5.29 (its bundled React lacks facebook/react#36134, see vercel/next.js#86151 and #98303)
 * a route's loading boundary lets a server action's or router.refresh()'s re-render of that page
 * park a transition that is never pinged under CPU load: the form stays aria-busy for ever and the
 * live refresh stops. Measured here: the setup guide's "Gem token" stayed "Tester token…" in 1 of 2
 * e2e runs with loading.tsx present. So the skeleton hangs off the link's own pending state
 * (useLinkStatus, see link-pending.tsx), which needs no Suspense boundary.
 */
const NavigationContext = createContext<(id: string, kind: SkeletonKind | null) => void>(() => {});

const PendingKindContext = createContext<SkeletonKind | undefined>(undefined);

/** Around the app's frame (nav and page): collects which link is loading which kind of page. */
export function NavigationProvider({ children }: { children: React.ReactNode }) {
  const [pending, setPending] = useState<Record<string, SkeletonKind>>({});
  const report = useCallback((id: string, kind: SkeletonKind | null) => {
    setPending((current) => {
      if (kind === null) {
        if (!(id in current)) return current;
        const { [id]: _gone, ...rest } = current;
        return rest;
      }
      return current[id] === kind ? current : { ...current, [id]: kind };
    });
  }, []);
  return (
    <NavigationContext.Provider value={report}>
      <PendingKindContext.Provider value={Object.values(pending)[0]}>{children}</PendingKindContext.Provider>
    </NavigationContext.Provider>
  );
}

/** The page content: the skeleton of the page being opened replaces the old page meanwhile. */
export function NavigationContent({ label, children }: { label: string; children: React.ReactNode }) {
  const kind = useContext(PendingKindContext);
  return (
    <>
      {kind ? <Skeleton kind={kind} label={label} /> : null}
      <div hidden={Boolean(kind)}>{children}</div>
    </>
  );
}

/** Called by a pending link: its destination's skeleton shows until the page is there. */
export function useReportNavigation(pending: boolean, kind: SkeletonKind | undefined) {
  const report = useContext(NavigationContext);
  const id = useId();
  useEffect(() => {
    if (!kind) return;
    report(id, pending ? kind : null);
    return () => report(id, null);
  }, [pending, kind, id, report]);
}

/**
 * Grey blocks in the rough shape of the page that is coming, busy for assistive technology
 * (aria-busy, and a visually hidden "Indlæser…"/"Loading…" status). Styles: `.skeleton*` in
 * app/globals.css.
 */
export function Skeleton({ kind, label }: { kind: SkeletonKind; label: string }) {
  return (
    <div aria-busy="true" data-skeleton={kind}>
      <p role="status" className="sr-only">
        {label}
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
  if (kind === "list") {
    return (
      <>
        <Bar className="h-8 w-72 max-w-full" />
        <div className="flex gap-3">
          <Bar className="h-8 w-32" />
          <Bar className="h-8 w-32" />
        </div>
        <Bar className="h-16 w-full" />
        <div className="skeleton-card">
          {["a", "b", "c", "d", "e", "f"].map((row) => (
            <Bar key={row} className="h-6 w-full" />
          ))}
        </div>
      </>
    );
  }
  if (kind === "detail") {
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
  }
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
