import "server-only";
import type { CompanyIntegration } from "@/db/schema";
import { decryptSecret } from "@/lib/crypto/secrets";
import { type CallInfo, EconomicClient } from "@/lib/economic";
import { economicAppSecretToken, externalUrls } from "@/lib/env";
import { RACKBEAT_CONSUMER } from "@/lib/integrations/clients";
import { RackbeatClient } from "@/lib/rackbeat";
import type { TransferEngineOptions } from "./attempt";
import type { ProcessContext } from "./types";

/**
 * The e-conomic and Rackbeat clients of one attempt, built from the company's stored (encrypted)
 * credentials, the base URLs of the context (tests point them at their own server) and the engine's
 * time-out and retry options. load-and-plan.ts makes them at the start of an attempt; every e-conomic
 * call is reported to `onCall` for the transfer's call log.
 */

/** One attempt's e-conomic client; `onCall` hears of every call as it completes. */
export function economicClient(
  integration: CompanyIntegration,
  ctx: ProcessContext,
  options: TransferEngineOptions,
  onCall: (info: CallInfo) => void,
): EconomicClient {
  const urls = ctx.urls ?? externalUrls();
  return new EconomicClient({
    restBase: urls.economicRest,
    productsBase: urls.economicProducts,
    projectsBase: urls.economicProjects,
    appSecretToken: economicAppSecretToken(),
    agreementGrantToken: decryptSecret(integration.economicGrantTokenEnc ?? ""),
    ...(integration.economicAgreementNumber == null
      ? {}
      : { agreementScope: String(integration.economicAgreementNumber) }),
    onCall,
    fetch: ctx.fetch,
    ...(options.economic?.timeoutMs === undefined ? {} : { timeoutMs: options.economic.timeoutMs }),
    ...(options.economic?.retry === undefined ? {} : { retry: options.economic.retry }),
  });
}

/** One attempt's Rackbeat client. */
export function rackbeatClient(
  integration: CompanyIntegration,
  ctx: ProcessContext,
  options: TransferEngineOptions,
) {
  const urls = ctx.urls ?? externalUrls();
  return new RackbeatClient({
    apiKey: decryptSecret(integration.rackbeatApiKeyEnc ?? ""),
    consumer: RACKBEAT_CONSUMER,
    baseUrl: urls.rackbeat,
    fetch: ctx.fetch,
    ...(options.rackbeat?.timeoutMs === undefined ? {} : { timeoutMs: options.rackbeat.timeoutMs }),
    ...(options.rackbeat?.retry === undefined ? {} : { retry: options.rackbeat.retry }),
  });
}
