"use client";

import { ErrorPage } from "@/components/error-page";
import "./globals.css";

/** The root layout itself failed: this replaces it, so it brings its own html and body. */
export default function GlobalError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="da">
      <body className="min-h-screen">
        <ErrorPage {...props} />
      </body>
    </html>
  );
}
