"use client";

import { useLinkStatus } from "next/link";

/**
 * Inside a <Link>: a small spinner while the page it leads to is loading, so a click always shows
 * something. The app has no loading.tsx on purpose: on Next 15.5 a route's loading boundary left
 * the server actions of its page (useActionState forms) pending for ever after revalidation, and
 * turned the 404 of an unknown transfer into a streamed 200. Buttons show their own busy state.
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
