import Link from "next/link";
import { LinkPending } from "@/components/shell/link-pending";
import { format } from "@/lib/i18n/locale";
import type { Messages } from "@/lib/i18n/messages";
import type { SetupProgress } from "@/lib/integrations/progress";

/**
 * Shown on every page until the integration is active: the four steps, which are done, and a link
 * to the next unfinished one.
 */
export function FirstRunChecklist({
  progress,
  t,
  admin,
}: {
  progress: SetupProgress;
  t: Messages["shell"]["firstRun"];
  admin: boolean;
}) {
  if (progress.next === null) return null;
  const done = progress.steps.filter((s) => s.done).length;
  const next = progress.steps.find((s) => s.key === progress.next);
  return (
    <section
      aria-labelledby="first-run-heading"
      className="mb-8 rounded-lg border border-emerald-200 bg-emerald-50 p-4 text-sm"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="first-run-heading" className="text-base font-semibold text-emerald-950">
          {t.heading}
        </h2>
        <p className="text-emerald-900">{format(t.progress, { done, total: progress.steps.length })}</p>
      </div>
      <p className="mt-1 text-emerald-950">{t.intro}</p>
      <ol className="mt-3 grid gap-2 sm:grid-cols-2 lg:grid-cols-4">
        {progress.steps.map((step, i) => (
          <li
            key={step.key}
            aria-current={step.key === progress.next ? "step" : undefined}
            className={`rounded-md border bg-white px-3 py-2 ${
              step.key === progress.next ? "border-emerald-700 ring-1 ring-emerald-700" : "border-emerald-200"
            }`}
          >
            <span className="block font-medium text-slate-900">
              {i + 1}. {t.steps[step.key]}
            </span>
            <span className={step.done ? "text-emerald-800" : "text-slate-700"}>
              {step.done ? `✓ ${t.done}` : t.notDone}
            </span>
          </li>
        ))}
      </ol>
      {next ? (
        <p className="mt-3">
          {admin ? (
            <Link
              href={next.href}
              className="inline-flex rounded-md bg-emerald-700 px-3 py-2 font-medium text-white hover:bg-emerald-800 focus:outline-none focus:ring-2 focus:ring-emerald-600 focus:ring-offset-2"
            >
              {format(t.next, { step: t.steps[next.key] })}
              <LinkPending skeleton="form" />
            </Link>
          ) : (
            <span className="text-emerald-950">{t.viewerNote}</span>
          )}
        </p>
      ) : null}
    </section>
  );
}
