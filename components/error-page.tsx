"use client";

import { useEffect, useState } from "react";
import { format, LOCALE_COOKIE, parseLocale } from "@/lib/i18n/locale";
import { errorPageDa, errorPageEn } from "@/lib/i18n/messages/error-page";

/** Must equal DATABASE_UNAVAILABLE_DIGEST in db/client.ts (a server-only module). */
const DATABASE_UNAVAILABLE_DIGEST = "DATABASE_UNAVAILABLE";

function localeFromCookie() {
  const match = document.cookie.split("; ").find((c) => c.startsWith(`${LOCALE_COOKIE}=`));
  return parseLocale(match?.slice(LOCALE_COOKIE.length + 1));
}

/**
 * What a page shows when rendering it failed: "Databasen svarer ikke" when the database is the
 * cause (the error's digest says so, or /api/health answers 503), else a generic message; both with
 * "Prøv igen". Danish unless the reader chose English (the locale cookie).
 */
export function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const [databaseDown, setDatabaseDown] = useState(error.digest === DATABASE_UNAVAILABLE_DIGEST);
  const [t, setT] = useState(errorPageDa);
  useEffect(() => {
    setT(localeFromCookie() === "en" ? errorPageEn : errorPageDa);
    if (databaseDown) return;
    let cancelled = false;
    fetch("/api/health", { cache: "no-store" })
      .then((res) => {
        if (!cancelled && res.status === 503) setDatabaseDown(true);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [databaseDown]);
  return (
    <main
      className="mx-auto flex min-h-[60vh] max-w-lg flex-col justify-center gap-4 px-4 py-12"
      role="alert"
    >
      <h1 className="text-2xl font-semibold text-slate-900">
        {databaseDown ? t.databaseTitle : t.genericTitle}
      </h1>
      <p className="text-slate-700">{databaseDown ? t.databaseBody : t.genericBody}</p>
      <div>
        <button
          type="button"
          onClick={reset}
          className="inline-flex items-center rounded-md bg-emerald-700 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-emerald-600 focus-visible:ring-offset-2"
        >
          {t.retry}
        </button>
      </div>
      {error.digest && !databaseDown ? (
        <p className="text-xs text-slate-500">{format(t.reference, { digest: error.digest })}</p>
      ) : null}
    </main>
  );
}
