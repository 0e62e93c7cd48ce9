import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type CompanyIntegration, companyIntegrations, companySettings } from "@/db/schema";
import type { CustomerInvoiceSettings } from "@/lib/settings/schema";
import { settingsValuesOf } from "@/lib/settings/store";

/**
 * What an attempt needs of its company before Rackbeat is asked: the integration (keys, defaults,
 * agreement) and the settings, in one read (a join). No integration row: undefined.
 */
export async function loadCompanyForTransfer(
  db: Db,
  companyId: string,
): Promise<{ integration: CompanyIntegration; settings: CustomerInvoiceSettings } | undefined> {
  const [row] = await db
    .select({ integration: companyIntegrations, settings: companySettings.values })
    .from(companyIntegrations)
    .leftJoin(companySettings, eq(companySettings.companyId, companyIntegrations.companyId))
    .where(eq(companyIntegrations.companyId, companyId));
  if (!row) return undefined;
  return { integration: row.integration, settings: settingsValuesOf(row.settings) };
}
