"use client";

import { useLinkStatus } from "next/link";

/**
 * Inside a <Link>: a small spinner while the page it leads to is loading, so a click always shows
 * something before the route's loading.tsx skeleton (components/shell/page-skeleton.tsx) shows.
 * Buttons show their own busy state.
 */
export function LinkPending() {
  const { pending } = useLinkStatus();
  return pending ? (
    <span
      aria-hidden="true"
      className="ml-1.5 inline-block h-3 w-3 animate-spin rounded-full border-2 border-current border-t-transparent align-middle"
    />
  ) : null;
}
