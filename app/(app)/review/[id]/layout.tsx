import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { findTransferKey } from "@/lib/review/detail";

/**
 * The existence check of the transfer, here and not only in the page: this layout renders outside
 * the segment's loading boundary (loading.tsx), so an unknown or foreign id still answers 404
 * before anything streams. The page loads the details under the skeleton.
 */
export default async function TransferLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ id: string }>;
}) {
  const user = await requireUser();
  const { id } = await params;
  if (!(await findTransferKey(await getDb(), user.companyId, id))) notFound();
  return children;
}
