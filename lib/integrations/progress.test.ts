import { describe, expect, it } from "vitest";
import { setupProgress } from "./progress";

const connected = {
  economicGrantTokenEnc: "enc",
  rackbeatApiKeyEnc: "enc",
  rackbeatWebhookId: "1",
  defaultLayoutNumber: 19,
  defaultPaymentTermsNumber: 1,
  senderEmail: "faktura@example.com",
  activated: false,
};

describe("first-run progress", () => {
  it("starts at connecting e-conomic", () => {
    expect(setupProgress(undefined).next).toBe("economic");
  });

  it("leads to the first step not done, in the guide's order", () => {
    expect(setupProgress({ ...connected, economicGrantTokenEnc: null }).next).toBe("economic");
    expect(setupProgress({ ...connected, rackbeatWebhookId: null }).next).toBe("rackbeat");
    expect(setupProgress({ ...connected, senderEmail: null }).next).toBe("defaults");
    const beforeActivation = setupProgress(connected);
    expect(beforeActivation.next).toBe("activate");
    expect(beforeActivation.steps.find((s) => s.key === "activate")?.href).toBe("/settings/customer-invoice");
  });

  it("is done once the integration is active", () => {
    const done = setupProgress({ ...connected, activated: true });
    expect(done.next).toBeNull();
    expect(done.steps.every((s) => s.done)).toBe(true);
  });
});
