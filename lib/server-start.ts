import { getDb } from "@/db/client";
import { ensureDemoData } from "@/db/seed";
import { isSandboxMode } from "@/lib/env";

export async function startServer(): Promise<void> {
  const db = await getDb();
  if (isSandboxMode()) await ensureDemoData(db);
}
