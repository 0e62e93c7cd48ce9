"use client";

import { ErrorPage } from "@/components/error-page";

/** A page or layout below the root failed to render (the database down, most often). */
export default function ErrorBoundary(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorPage {...props} />;
}
