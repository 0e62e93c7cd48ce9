import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import {
  activate,
  chooseAccounts,
  connectEconomicSandbox,
  connectRackbeatSandbox,
  type RackbeatAccount,
  region,
  registerCompany,
  saveDefaults,
} from "./fixtures";

// Never miss an invoice: invoices whose webhook never came are fetched from Rackbeat's list
// ("Hent manglende fakturaer nu"), earlier ones are backfilled from a date with a preview and a
// progress that survives a reload, and the webhook's event name and health live in the setup guide.

type Account = RackbeatAccount;

async function activeCompany(page: Page, request: APIRequestContext): Promise<Account> {
  await registerCompany(page, {
    companyName: "Afstemning ApS",
    ownerName: "Anne Afstemning",
    emailPrefix: "reconcile",
  });
  await connectEconomicSandbox(page, request, "Afstemning ApS");
  const account = await connectRackbeatSandbox(page, request);
  await expect(page.getByText("Webhooken er aktiv i Rackbeat.")).toBeVisible();
  await saveDefaults(page);
  await chooseAccounts(page);
  await activate(page);
  return account;
}

/** Books an invoice in the Rackbeat sandbox without any webhook (as if Rackbeat had given up). */
async function bookSilently(request: APIRequestContext, account: Account): Promise<string> {
  const headers = { Authorization: `Bearer ${account.apiKey}` };
  const created = await request.post("/sandbox/rackbeat/api/customer-invoices", {
    headers,
    data: { customer_id: 101, lines: [{ child_id: "KAF-100", quantity: 1 }] },
  });
  expect(created.status()).toBe(201);
  const { number } = ((await created.json()) as { customer_invoice: { number: string } }).customer_invoice;
  const booked = await request.post(`/sandbox/rackbeat/api/customer-invoices/${number}/book`, {
    headers,
    data: { suppress_webhooks: true },
  });
  expect(booked.ok()).toBe(true);
  return number;
}

test("invoices without a webhook are fetched on request, earlier ones backfilled, the webhook kept healthy", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const account = await activeCompany(page, request);

  // Hent manglende fakturaer nu: two bookings whose webhooks never came.
  const missing = [await bookSilently(request, account), await bookSilently(request, account)];
  await page.goto("/review");
  await page.getByRole("button", { name: "Hent manglende fakturaer nu" }).click();
  // The worker's own first sweep may have found them a moment earlier: either way none is missed.
  await expect(page.getByRole("status").filter({ hasText: "gennemgået" })).toHaveText(
    /^2 bogførte fakturaer gennemgået; (2 manglede og er sat i kø|ingen manglede)\.$/,
  );
  for (const number of missing) {
    await expect(page.getByRole("link", { name: `Vis faktura ${number}` })).toBeVisible({ timeout: 30_000 });
  }
  await page.getByRole("link", { name: `Vis faktura ${missing[0]}` }).click();
  await expect(page.getByText("Gennemgang af Rackbeats fakturaliste")).toBeVisible();

  // The event name: changed and registered again; then Rackbeat deactivates the webhook.
  await page.goto("/setup");
  const webhook = region(page, "Webhook i Rackbeat");
  await webhook.getByLabel("Hændelsesnavn for bogført faktura").fill("kun-et-ord");
  await webhook.getByRole("button", { name: "Gem hændelsesnavn" }).click();
  await expect(
    webhook.getByText("Angiv et navn som «invoice.booked»: ord adskilt af punktum."),
  ).toBeVisible();
  await webhook.getByLabel("Hændelsesnavn for bogført faktura").fill("customer_invoice.booked");
  await webhook.getByRole("button", { name: "Gem hændelsesnavn" }).click();
  await expect(webhook.getByText("Webhooken er registreret for customer_invoice.booked.")).toBeVisible();
  const fault = await request.post(`/sandbox/rackbeat/accounts/${account.accountId}/faults`, {
    headers: { Authorization: `Bearer ${account.apiKey}` },
    data: { deactivateWebhooks: true },
  });
  expect(fault.ok()).toBe(true);
  await page.reload();
  await expect(webhook.getByText("Rackbeat har deaktiveret webhooken. Registrér den igen.")).toBeVisible();
  await webhook.getByRole("button", { name: "Registrér webhook igen" }).click();
  await expect(webhook.getByText("Webhooken er registreret igen.")).toBeVisible();
  await page.reload();
  await expect(webhook.getByText("Webhooken er aktiv i Rackbeat.")).toBeVisible();

  // Backfill from today: a preview first, then the transfer with its progress.
  await bookSilently(request, account);
  const backfill = region(page, "Overfør tidligere fakturaer");
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Copenhagen" }).format(new Date());
  await backfill.getByLabel("Overfør fakturaer bogført siden").fill(today);
  await backfill.getByRole("button", { name: "Vis antal" }).click();
  await expect(
    backfill.getByText(`3 fakturaer er bogført siden ${today}; 1 af dem bliver overført.`),
  ).toBeVisible();
  await backfill.getByRole("button", { name: "Overfør 1 fakturaer" }).click();
  await expect(backfill.getByText(`Færdig (siden ${today})`)).toBeVisible({ timeout: 30_000 });
  await page.reload();
  await expect(backfill.getByText(`Færdig (siden ${today})`)).toBeVisible();
  await expect(backfill.getByRole("progressbar", { name: "Fremdrift" })).toHaveAttribute(
    "aria-valuenow",
    "100",
  );
  await expect(backfill.getByText("Overført:")).toBeVisible();
});
