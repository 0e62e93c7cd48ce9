import type { CompanyIntegration } from "@/db/schema";

/**
 * How far a company is from its first transfer, for the first-run checklist: the four steps of the
 * guide, in order, each done or not, and the first one not done. Pure: reads the stored connection.
 */

export type SetupStepKey = "economic" | "rackbeat" | "defaults" | "activate";

export interface SetupProgress {
  steps: Array<{ key: SetupStepKey; done: boolean; href: string }>;
  next: SetupStepKey | null;
}

type ProgressInput = Pick<
  CompanyIntegration,
  | "economicGrantTokenEnc"
  | "rackbeatApiKeyEnc"
  | "rackbeatWebhookId"
  | "defaultLayoutNumber"
  | "defaultPaymentTermsNumber"
  | "senderEmail"
  | "activated"
>;

export function setupProgress(integration: ProgressInput | undefined): SetupProgress {
  const steps: SetupProgress["steps"] = [
    { key: "economic", done: Boolean(integration?.economicGrantTokenEnc), href: "/setup#economic-heading" },
    {
      key: "rackbeat",
      done: Boolean(integration?.rackbeatApiKeyEnc && integration.rackbeatWebhookId),
      href: "/setup#rackbeat-heading",
    },
    {
      key: "defaults",
      done: Boolean(
        integration?.defaultLayoutNumber != null &&
          integration.defaultPaymentTermsNumber != null &&
          integration.senderEmail,
      ),
      href: "/setup#defaults-heading",
    },
    { key: "activate", done: Boolean(integration?.activated), href: "/settings/customer-invoice" },
  ];
  return { steps, next: steps.find((step) => !step.done)?.key ?? null };
}
