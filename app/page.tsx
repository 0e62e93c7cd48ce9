import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { loadIntegration } from "@/lib/integrations/clients";
import { setupProgress } from "@/lib/integrations/progress";

export const dynamic = "force-dynamic";

/** The start page: the review once the integration runs, else the next step of the setup. */
export default async function Home() {
  const user = await requireUser();
  const progress = setupProgress(await loadIntegration(await getDb(), user.companyId));
  const next = progress.steps.find((step) => step.key === progress.next);
  redirect(next ? next.href.replace(/#.*$/, "") : "/review");
}
