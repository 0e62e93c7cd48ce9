import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type CompanyIntegration, companyIntegrations } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/secrets";
import { type CallInfo, EconomicClient } from "@/lib/economic";
import { type ExternalUrls, economicAppSecretToken, externalUrls } from "@/lib/env";
import { RackbeatClient } from "@/lib/rackbeat";

/** Who we are to Rackbeat (its well-behaved-client headers). */
export const RACKBEAT_CONSUMER = { name: "Rackbeat e-conomic integration", contact: "support@example.com" };

export interface ClientOptions {
  /** Base URLs; the configured ones (or the built-in sandboxes) by default. Tests point these at their server. */
  urls?: ExternalUrls;
  onEconomicCall?: (info: CallInfo) => void;
  fetch?: typeof fetch;
  /** Rackbeat: per attempt (default the client's); retried within the client's budget. */
  timeoutMs?: number;
}

export async function loadIntegration(db: Db, companyId: string): Promise<CompanyIntegration | undefined> {
  const [row] = await db
    .select()
    .from(companyIntegrations)
    .where(eq(companyIntegrations.companyId, companyId));
  return row;
}

/** The company's e-conomic client, or null while no grant token is stored. */
export function economicClientFor(
  integration: Pick<CompanyIntegration, "economicGrantTokenEnc"> | undefined,
  options: ClientOptions = {},
): EconomicClient | null {
  if (!integration?.economicGrantTokenEnc) return null;
  return economicClientWithToken(decryptSecret(integration.economicGrantTokenEnc), options);
}

export function economicClientWithToken(
  agreementGrantToken: string,
  options: ClientOptions = {},
): EconomicClient {
  const urls = options.urls ?? externalUrls();
  return new EconomicClient({
    restBase: urls.economicRest,
    productsBase: urls.economicProducts,
    projectsBase: urls.economicProjects,
    appSecretToken: economicAppSecretToken(),
    agreementGrantToken,
    onCall: options.onEconomicCall,
    fetch: options.fetch,
  });
}

/** The company's Rackbeat client, or null while no API key is stored. */
export function rackbeatClientFor(
  integration: Pick<CompanyIntegration, "rackbeatApiKeyEnc"> | undefined,
  options: ClientOptions = {},
): RackbeatClient | null {
  if (!integration?.rackbeatApiKeyEnc) return null;
  return rackbeatClientWithKey(decryptSecret(integration.rackbeatApiKeyEnc), options);
}

export function rackbeatClientWithKey(apiKey: string, options: ClientOptions = {}): RackbeatClient {
  const urls = options.urls ?? externalUrls();
  return new RackbeatClient({
    apiKey,
    consumer: RACKBEAT_CONSUMER,
    baseUrl: urls.rackbeat,
    fetch: options.fetch,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}
