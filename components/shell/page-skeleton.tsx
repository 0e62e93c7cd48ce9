/**
 * What a route shows while its server page renders (its loading.tsx): grey blocks in the page's
 * shape, marked busy for assistive technology, with the loading text for screen readers.
 */
export function PageSkeleton({ label, blocks = 3 }: { label: string; blocks?: number }) {
  return (
    <div aria-busy="true" aria-live="polite" className="space-y-6">
      <p className="sr-only">{label}</p>
      <div aria-hidden="true" className="h-8 w-64 max-w-full animate-pulse rounded bg-slate-200" />
      {Array.from({ length: blocks }, (_, i) => (
        <div
          // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity.
          key={i}
          aria-hidden="true"
          className="h-32 animate-pulse rounded-lg border border-slate-200 bg-white"
        />
      ))}
    </div>
  );
}
