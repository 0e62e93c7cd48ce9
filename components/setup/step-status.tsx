export type StepState = "done" | "notDone" | "error";

const styles: Record<StepState, string> = {
  done: "bg-emerald-100 text-emerald-800",
  notDone: "bg-slate-100 text-slate-700",
  error: "bg-red-100 text-red-800",
};

/** The badge beside a step's heading: done, not done, or failed. */
export function StepStatus({ state, labels }: { state: StepState; labels: Record<StepState, string> }) {
  return (
    <span className={`inline-flex rounded-full px-2.5 py-0.5 text-xs font-medium ${styles[state]}`}>
      {labels[state]}
    </span>
  );
}

/** One step of the guide: a region named by its heading, with its status badge. */
export function SetupStep({
  id,
  heading,
  intro,
  state,
  labels,
  children,
}: {
  id: string;
  heading: string;
  intro?: string;
  state?: StepState;
  labels: Record<StepState, string>;
  children: React.ReactNode;
}) {
  const headingId = `${id}-heading`;
  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white p-6">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <h2 id={headingId} className="text-lg font-semibold">
          {heading}
        </h2>
        {state ? <StepStatus state={state} labels={labels} /> : null}
      </div>
      {intro ? <p className="mb-4 text-sm text-slate-600">{intro}</p> : null}
      <div className="space-y-4">{children}</div>
    </section>
  );
}
