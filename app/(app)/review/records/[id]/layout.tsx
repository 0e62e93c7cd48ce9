import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { findTransferKey } from "@/lib/review/detail";
import { parseRecordKey } from "@/lib/sync/record-key";

/**
 * The existence check of the master-data sync, outside the segment's loading boundary (see
 * review/[id]/layout.tsx): an unknown, foreign or non-record id answers 404 before anything streams.
 */
export default async function RecordSyncLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ id: string }>;
}) {
  const user = await requireUser();
  const { id } = await params;
  const key = await findTransferKey(await getDb(), user.companyId, id);
  if (!key || !parseRecordKey(key.rackbeatInvoiceNumber)) notFound();
  return children;
}
