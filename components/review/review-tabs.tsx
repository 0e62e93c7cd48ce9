import Link from "next/link";
import { LinkPending } from "@/components/shell/link-pending";

/** "Fakturaer" | "Stamdata": the review page's two views. */
export function ReviewTabs({
  current,
  t,
}: {
  current: "invoices" | "records";
  t: { invoices: string; records: string; label: string };
}) {
  const tab = (key: "invoices" | "records", href: string) => (
    <Link
      href={href}
      aria-current={current === key ? "page" : undefined}
      className={`rounded-md px-3 py-1.5 text-sm font-medium ${
        current === key ? "bg-emerald-700 text-white" : "text-emerald-800 hover:bg-emerald-50"
      }`}
    >
      {t[key]}
      <LinkPending skeleton="list" />
    </Link>
  );
  return (
    <nav aria-label={t.label} className="flex gap-2">
      {tab("invoices", "/review")}
      {tab("records", "/review/records")}
    </nav>
  );
}
