import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { activeCompany as activeCompanyOf } from "./fixtures";

// Amounts to the øre, end to end: an invoice whose gross e-conomic cannot match stops as Fejlet
// naming both sets of amounts; with «Overfør alligevel som kladde» a retry drafts it, and the list
// and the detail show each differing figure with Rackbeat's and e-conomic's amounts.

const rowOf = (page: Page, invoice: string) =>
  page
    .getByRole("table", { name: "Overførte fakturaer, nyeste først" })
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name: `Vis faktura ${invoice}` }) });

/** A fresh company with both sandboxes connected and the integration active; returns the API key. */
async function activeCompany(page: Page, request: APIRequestContext): Promise<string> {
  const { apiKey } = await activeCompanyOf(page, request, {
    companyName: "Øre for øre ApS",
    ownerName: "Bente Bogholder",
    emailPrefix: "amounts",
    agreementName: "Øre ApS",
  });
  return apiKey;
}

test("a gross e-conomic cannot match fails naming the amounts; drafted anyway, both figures are shown", async ({
  page,
  request,
}) => {
  const apiKey = await activeCompany(page, request);
  // Rackbeat charges 25 % VAT to an EU customer (103); e-conomic's EU zone charges none.
  const headers = { Authorization: `Bearer ${apiKey}` };
  const created = await request.post("/sandbox/rackbeat/api/customer-invoices", {
    headers,
    data: { customer_id: 103, lines: [{ child_id: "KAF-100", quantity: 2, vat_percentage: 25 }] },
  });
  expect(created.status()).toBe(201);
  const { number } = ((await created.json()) as { customer_invoice: { number: string } }).customer_invoice;
  expect(
    (await request.post(`/sandbox/rackbeat/api/customer-invoices/${number}/book`, { headers })).ok(),
  ).toBe(true);

  await page.goto("/review");
  await expect(rowOf(page, number).getByText("Fejlet", { exact: true })).toBeVisible({ timeout: 30_000 });
  await rowOf(page, number)
    .getByRole("link", { name: `Vis faktura ${number}` })
    .click();
  await expect(page.getByRole("alert").filter({ hasText: "Fejl:" })).toContainText(
    "Rackbeat har netto 299,90 og brutto 374,88 EUR, e-conomic ville vise netto 299,90 og brutto 299,90 EUR.",
  );
  const detailUrl = page.url();

  await page.goto("/settings/customer-invoice");
  await page.getByRole("checkbox", { name: "Overfør alligevel som kladde", exact: true }).click();
  await page
    .getByRole("form", { name: "Kundefaktura" })
    .getByRole("button", { name: "Gem indstillinger" })
    .click();
  await expect(page.getByRole("form", { name: "Kundefaktura" }).getByRole("status")).toHaveText(
    "Indstillingerne er gemt.",
  );

  await page.goto(detailUrl);
  await page.getByRole("button", { name: "Prøv igen" }).click();
  const heading = page.getByRole("heading", { name: `Faktura ${number}` }).locator("..");
  await expect(heading.getByText("Kladde", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("Beløb afviger")).toBeVisible();
  await expect(page.getByText("Brutto: Rackbeat 374,88, e-conomic 299,90")).toBeVisible();
  await expect(page.getByText("Moms: Rackbeat 74,98, e-conomic 0,00")).toBeVisible();

  await page.goto("/review");
  await expect(rowOf(page, number)).toContainText("Beløb afviger");
  await expect(rowOf(page, number)).toContainText("Brutto: Rackbeat 374,88, e-conomic 299,90");
  await expect(rowOf(page, number)).not.toContainText("Netto: Rackbeat");
});
