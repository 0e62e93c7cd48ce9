import "server-only";
import { z } from "zod";
import type { Db } from "@/db/client";
import { companyIntegrations } from "@/db/schema";
import { encryptSecret, secretHint } from "@/lib/crypto/secrets";
import { economicClientWithToken, loadIntegration } from "./clients";
import { type ConnectionFailure, economicFailure, HEADER_SAFE_SECRET } from "./failures";
import type { IntegrationOptions } from "./options";

/** Error messages are keys the UI translates (`required`, `tooLong`, `invalidFormat`). */
export const economicTokenInputSchema = z.object({
  agreementGrantToken: z
    .string()
    .trim()
    .min(1, { error: "required" })
    .max(500, { error: "tooLong" })
    .regex(HEADER_SAFE_SECRET, { error: "invalidFormat" }),
});
export type EconomicTokenInput = z.infer<typeof economicTokenInputSchema>;

export type ConnectEconomicResult =
  | { ok: true; agreementNumber: number; companyName: string | null; tokenHint: string }
  | { ok: false; error: ConnectionFailure };

/**
 * Tests a grant token with `GET /self` and, only when e-conomic accepts it, stores it encrypted with
 * the agreement it belongs to. A refused token changes nothing. Connecting another agreement clears
 * the defaults chosen from the old one and deactivates the integration, since they may not exist there.
 */
export async function connectEconomic(
  db: Db,
  companyId: string,
  input: EconomicTokenInput,
  options: IntegrationOptions = {},
): Promise<ConnectEconomicResult> {
  const token = input.agreementGrantToken.trim();
  let agreementNumber: number;
  let companyName: string | null;
  try {
    const self = await economicClientWithToken(token, options).self();
    agreementNumber = self.agreementNumber;
    companyName = self.company?.name?.trim() || null;
  } catch (error) {
    return { ok: false, error: economicFailure(error) };
  }
  const previous = await loadIntegration(db, companyId);
  const agreementChanged =
    previous?.economicAgreementNumber != null && previous.economicAgreementNumber !== agreementNumber;
  const now = new Date();
  const tokenHint = secretHint(token);
  const fields = {
    economicGrantTokenEnc: encryptSecret(token),
    economicGrantTokenHint: tokenHint,
    economicAgreementNumber: agreementNumber,
    economicCompanyName: companyName,
    updatedAt: now,
    ...(agreementChanged
      ? { defaultLayoutNumber: null, defaultPaymentTermsNumber: null, activated: false, activatedAt: null }
      : {}),
  };
  await db
    .insert(companyIntegrations)
    .values({ companyId, ...fields })
    .onConflictDoUpdate({ target: companyIntegrations.companyId, set: fields });
  return { ok: true, agreementNumber, companyName, tokenHint };
}
