"use client";

import { useLinkStatus } from "next/link";
import { type SkeletonKind, useReportNavigation } from "./navigation-skeleton";

/**
 * Inside a <Link>: a small spinner while the page it leads to is loading, so a click always shows
 * something; with `skeleton`, the page area shows that page's skeleton meanwhile
 * (navigation-skeleton.tsx says why this is not a loading.tsx). Buttons show their own busy state.
 */
export function LinkPending({ skeleton }: { skeleton?: SkeletonKind }) {
  const { pending } = useLinkStatus();
  useReportNavigation(pending, skeleton);
  return pending ? (
    <span
      aria-hidden="true"
      className="ml-1.5 inline-block h-3 w-3 animate-spin rounded-full border-2 border-current border-t-transparent align-middle"
    />
  ) : null;
}
