import { PageSkeleton } from "@/components/shell/page-skeleton";

// Synchronous on purpose: a loading.tsx that reads the request (cookies, for the language) left
// this page's server actions pending for ever (Next 15.5). The label is therefore in both languages.
export default function Loading() {
  return <PageSkeleton label="Indlæser… / Loading…" />;
}
