import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import {
  activate,
  bookTestInvoice,
  chooseAccounts,
  connectEconomicSandbox,
  connectRackbeatSandbox,
  DEMO_VIEWER,
  region,
  registerCompany,
  saveDefaults,
  signIn,
} from "./fixtures";

// Gennemgang af integration, end to end through both sandboxes: a company of its own per test,
// invoices booked in the Rackbeat sandbox whose webhooks reach the server, the worker inside it.

const transfersTable = (page: Page) => page.getByRole("table", { name: "Overførte fakturaer, nyeste først" });
const rowOf = (page: Page, invoice: string) =>
  transfersTable(page)
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name: `Vis faktura ${invoice}` }) });

/** Connects both sandboxes by hand (so the test knows the grant token) and activates the integration. */
async function activeCompany(page: Page, request: APIRequestContext, book: boolean): Promise<string> {
  await registerCompany(page, {
    companyName: `Gennemgang ${book ? "bogført" : "kladde"} ApS`,
    ownerName: "Rikke Review",
    emailPrefix: "review",
  });
  const agreementGrantToken = await connectEconomicSandbox(page, request, "Review ApS");
  await expect(region(page, "1. Forbind e-conomic").getByRole("status")).toHaveText(
    "e-conomic er forbundet til Review ApS.",
  );
  await connectRackbeatSandbox(page, request);
  await saveDefaults(page);
  await chooseAccounts(page, { book });
  await activate(page);
  return agreementGrantToken;
}

/** Books a test invoice in the Rackbeat sandbox from another tab; returns its number. */
async function sendTestInvoice(page: Page): Promise<string> {
  const tab = await page.context().newPage();
  const number = await bookTestInvoice(tab);
  await tab.close();
  return number;
}

test("a drafted invoice shows up without a reload as Kladde; counts, filters and search", async ({
  page,
  request,
}) => {
  await activeCompany(page, request, false);
  await page.goto("/review");
  await expect(page.getByText("Ingen fakturaer er overført endnu.")).toBeVisible();
  const invoice = await sendTestInvoice(page);

  // No reload: the first page refreshes by itself.
  await expect(rowOf(page, invoice).getByText("Kladde", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(rowOf(page, invoice)).toContainText(/Kladde \d+/);
  const counts = page.getByRole("navigation", { name: "Antal pr. status" });
  await expect(counts.getByRole("link", { name: /^Kladde 1$/ })).toBeVisible();

  // The draft opens as a PDF through our server, not at e-conomic's REST address.
  await rowOf(page, invoice)
    .getByRole("link", { name: `Vis faktura ${invoice}` })
    .click();
  const draftPdfLink = page.getByRole("link", { name: /Hent PDF af kladde \d+/ });
  await expect(draftPdfLink).toBeVisible();
  const draftPdf = await page.request.get(
    new URL((await draftPdfLink.getAttribute("href")) ?? "", page.url()).href,
  );
  expect(draftPdf.status()).toBe(200);
  expect(draftPdf.headers()["content-type"]).toBe("application/pdf");
  await page.goto("/review");

  // Search by invoice number; the URL keeps it, so the view can be shared.
  await page.getByLabel("Søg").fill(invoice);
  await page.getByRole("button", { name: "Filtrér" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${invoice}`));
  await expect(rowOf(page, invoice)).toBeVisible();
  await page.getByLabel("Søg").fill("ingen-faktura-hedder-sådan");
  await page.getByRole("button", { name: "Filtrér" }).click();
  await expect(page.getByText("Ingen overførsler matcher filtrene.")).toBeVisible();

  // Status links keep the other filters; Fejlet shows nothing, Kladde the invoice.
  await page.goto("/review");
  await counts.getByRole("link", { name: /^Fejlet/ }).click();
  await expect(page).toHaveURL(/status=failed/);
  await expect(page.getByText("Ingen overførsler matcher filtrene.")).toBeVisible();
  await counts.getByRole("link", { name: /^Kladde/ }).click();
  await expect(rowOf(page, invoice)).toBeVisible();
  await page.getByLabel("Status", { exact: true }).selectOption({ label: "Alle statusser" });
  await page.getByLabel("Modtaget fra").fill("2000-01-01");
  await page.getByLabel("Modtaget til").fill("2000-01-31");
  await page.getByRole("button", { name: "Filtrér" }).click();
  await expect(page).toHaveURL(/from=2000-01-01&to=2000-01-31/);
  await expect(page.getByText("Ingen overførsler matcher filtrene.")).toBeVisible();
});

test("Prøv igen after a fault turns Fejlet into Bogført; a viewer's forged retry is refused", async ({
  page,
  request,
  browser,
}) => {
  const token = await activeCompany(page, request, true);
  const fault = await request.post(`/sandbox/economic/agreements/${token}/faults`, {
    data: { method: "POST", path: "/invoices/drafts", respond: 400, times: 1 },
  });
  expect(fault.ok()).toBe(true);
  await page.goto("/review");
  const invoice = await sendTestInvoice(page);
  await expect(rowOf(page, invoice).getByText("Fejlet", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(rowOf(page, invoice).getByText(/Prøver igen/)).toHaveCount(0);

  await rowOf(page, invoice)
    .getByRole("link", { name: `Vis faktura ${invoice}` })
    .click();
  await expect(page.getByRole("heading", { name: `Faktura ${invoice}` })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "Fejl:" })).toBeVisible();
  // Given up: one sentence on what to do next to the status.
  await expect(
    page.getByText("Ret det nævnte felt i Rackbeat (eller i e-conomic), og klik derefter Prøv igen."),
  ).toBeVisible();
  await expect(region(page, "Kald til e-conomic").getByRole("cell", { name: "400" }).first()).toBeVisible();
  const detailUrl = page.url();

  // A viewer (of another company here: the demo's) posts the admin's retry form by hand.
  // The retry form as a browser without JavaScript would post it: its server-rendered fields.
  const html = await (await page.request.get(detailUrl)).text();
  const decodeEntities = (v: string) =>
    v
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/&amp;/g, "&");
  const fields: Record<string, string> = {};
  for (const input of html.matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? "";
    if (name && (name.startsWith("$ACTION") || name === "transferId"))
      fields[decodeEntities(name)] = decodeEntities(value);
  }
  expect(Object.keys(fields).some((k) => k.startsWith("$ACTION"))).toBe(true);
  expect(fields.transferId).toBeTruthy();
  const viewer = await browser.newContext();
  const viewerPage = await viewer.newPage();
  await signIn(viewerPage, DEMO_VIEWER);
  const forged = await viewerPage.request.post(detailUrl, { multipart: fields });
  expect(await forged.text()).not.toContain("Overførslen er sat i kø.");
  await viewerPage.goto(detailUrl);
  await expect(viewerPage.getByText(/404|could not be found|findes ikke/i).first()).toBeVisible();
  await viewer.close();
  await page.reload();
  await expect(page.getByRole("button", { name: "Prøv igen" })).toBeVisible();

  // Double click: the button disables while pending and the server queues once.
  await page.getByRole("button", { name: "Prøv igen" }).dblclick();
  await expect(
    page
      .getByRole("heading", { name: `Faktura ${invoice}` })
      .locator("..")
      .getByText("Bogført", { exact: true }),
  ).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByRole("link", { name: /Hent PDF af faktura \d+/ })).toBeVisible();
  // Only addresses a person can open: never e-conomic's REST API (a browser gets 401 JSON there).
  expect(await page.locator('a[href*="/sandbox/economic/"], a[href*="restapi.e-conomic.com"]').count()).toBe(
    0,
  );
  const pdf = await page.request.get(`${detailUrl}/pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");

  await page.goto(`/review?q=${invoice}`);
  await expect(rowOf(page, invoice).getByText("Bogført", { exact: true })).toBeVisible();
  await expect(rowOf(page, invoice)).toContainText(/Faktura \d+/);
});

test("a viewer sees the list without buttons; unknown, foreign and malformed ids answer 404", async ({
  page,
}) => {
  await signIn(page, DEMO_VIEWER);
  await page.goto("/review");
  await expect(page.getByRole("heading", { name: "Gennemgang af integration" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Filtrér" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Prøv igen" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Overfør nu" })).toHaveCount(0);
  for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
    const response = await page.goto(`/review/${id}`);
    expect(response?.status()).toBe(404);
  }
  const pdf = await page.request.get("/review/00000000-0000-4000-8000-000000000000/pdf");
  expect(pdf.status()).toBe(404);
  expect(await pdf.json()).toEqual({ error: { code: "not_found", message: "No such transfer." } });
  const mail = await page.request.get("/review/00000000-0000-4000-8000-000000000000/mail/1");
  expect(mail.status()).toBe(404);
  // A tampered cursor shows the first page with a note, never an error.
  const tampered = await page.goto("/review?cursor=not-a-cursor&status=lost");
  expect(tampered?.status()).toBe(200);
  await expect(page.getByText(/Et eller flere filtre blev ignoreret/)).toBeVisible();
});
