import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import {
  activate,
  bookTestInvoice,
  chooseAccounts,
  connectBothSandboxes,
  connectEconomicSandbox,
  connectRackbeatSandbox,
  region,
  registerCompany as registerNewCompany,
  saveDefaults,
} from "./fixtures";

// A bookkeeper's day: forms keep what was saved, a slow Rackbeat does not read as a refused key,
// and a transfer the app is still retrying never reads "Fejlet".

const defaultsStep = (page: Page) => region(page, "3. Standarder");

const registerCompany = (page: Page, companyName: string) =>
  registerNewCompany(page, { companyName, ownerName: "Bente Bogholder", emailPrefix: "bogholder" });

/** Both sandboxes connected by hand, so the test knows the grant token and the Rackbeat key. */
async function connectedCompany(page: Page, request: APIRequestContext, name: string) {
  await registerCompany(page, name);
  const agreementGrantToken = await connectEconomicSandbox(page, request, name);
  const { apiKey } = await connectRackbeatSandbox(page, request);
  await saveDefaults(page);
  return { agreementGrantToken, apiKey };
}

async function rackbeatFault(request: APIRequestContext, apiKey: string, fault: Record<string, unknown>) {
  const res = await request.post("/sandbox/rackbeat/api/sandbox/faults", {
    headers: { Authorization: `Bearer ${apiKey}` },
    data: fault,
  });
  expect(res.status()).toBe(201);
}

test("the Standarder form keeps what was saved, and the next save does not write old values back", async ({
  page,
}) => {
  await registerCompany(page, "Standardfirma ApS");
  await connectBothSandboxes(page);
  const defaults = defaultsStep(page);
  const layout = defaults.getByLabel("Standardlayout");
  const terms = defaults.getByLabel("Standardbetalingsbetingelse");
  // The sandbox chose the first of each; choose others.
  await expect(layout).toHaveValue("19");
  await layout.selectOption("21");
  await terms.selectOption("3");
  await defaults.getByRole("button", { name: "Gem standarder" }).click();
  await expect(defaults.getByRole("status")).toHaveText("Standarderne er gemt.");
  await expect(layout).toHaveValue("21");
  await expect(terms).toHaveValue("3");

  // Change only the e-mail: the layout and terms saved a moment ago stay. The first save's status is
  // still shown, so wait for this save's own answer (a server action: a POST with a Next-Action header).
  await defaults.getByLabel("Afsender-e-mail for fakturaer").fill("ny-afsender@example.com");
  const secondSave = page.waitForResponse(
    (response) => response.request().method() === "POST" && !!response.request().headers()["next-action"],
  );
  await defaults.getByRole("button", { name: "Gem standarder" }).click();
  expect((await secondSave).status()).toBe(200);
  await expect(defaults.getByRole("status")).toHaveText("Standarderne er gemt.");
  await expect(layout).toHaveValue("21");
  await expect(terms).toHaveValue("3");
  await page.reload();
  await expect(defaultsStep(page).getByLabel("Standardlayout")).toHaveValue("21");
  await expect(defaultsStep(page).getByLabel("Standardbetalingsbetingelse")).toHaveValue("3");
  await expect(defaultsStep(page).getByLabel("Afsender-e-mail for fakturaer")).toHaveValue(
    "ny-afsender@example.com",
  );
});

test("Aktivér integration waits out a slow Rackbeat, and tells a failing one apart from a refused key", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const { apiKey } = await connectedCompany(page, request, "Langsom Rackbeat ApS");
  await chooseAccounts(page);
  const form = page.getByRole("form", { name: "Kundefaktura" });

  // Rackbeat failing on every try: the message says it did not answer, and that the key is fine.
  await rackbeatFault(request, apiKey, { path: "/self", respond: 503, times: 50 });
  await form.getByRole("button", { name: "Aktivér integration" }).click();
  const alert = form.getByRole("alert").first();
  await expect(alert).toContainText("Rackbeat svarede ikke i tide (API-nøglen er ikke afvist)", {
    timeout: 45_000,
  });
  await expect(alert).not.toContainText("Forbind Rackbeat igen");
  const cleared = await request.delete("/sandbox/rackbeat/api/sandbox/faults", {
    headers: { Authorization: `Bearer ${apiKey}` },
  });
  expect(cleared.status()).toBe(204);

  // Rackbeat answers /self only after 12 s once: the check tries again and activation succeeds.
  await rackbeatFault(request, apiKey, { path: "/self", delayMs: 12_000, times: 1 });
  await form.getByRole("button", { name: "Aktivér integration" }).click();
  await expect(form.getByRole("status")).toHaveText(
    "Indstillingerne er gemt, og integrationen er aktiveret.",
    {
      timeout: 45_000,
    },
  );
});

test("a transfer waiting for its next attempt reads 'Prøver igen kl. HH.MM', and the page refreshes until Kladde", async ({
  page,
  request,
}) => {
  test.setTimeout(150_000);
  const { agreementGrantToken } = await connectedCompany(page, request, "Genforsøg ApS");
  await chooseAccounts(page);
  await activate(page);
  // e-conomic throttles the draft once and asks us to wait 35 s: the transfer retries by itself.
  const fault = await request.post(`/sandbox/economic/agreements/${agreementGrantToken}/faults`, {
    data: { method: "POST", path: "/invoices/drafts", respond: 429, retryAfter: 35, times: 1 },
  });
  expect(fault.ok()).toBe(true);

  const invoice = await bookTestInvoice(page);

  await page.goto("/review");
  const row = page
    .getByRole("table", { name: "Overførte fakturaer, nyeste først" })
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name: `Vis faktura ${invoice}` }) });
  await expect(row.getByText(/^Prøver igen kl\. \d{2}\.\d{2}$/)).toBeVisible({ timeout: 30_000 });
  await expect(row.getByText("Fejlet", { exact: true })).toHaveCount(0);

  await row.getByRole("link", { name: `Vis faktura ${invoice}` }).click();
  const heading = page.getByRole("heading", { name: `Faktura ${invoice}` }).locator("..");
  await expect(heading.getByText(/^Prøver igen kl\. \d{2}\.\d{2}$/)).toBeVisible();
  await expect(
    heading.getByText("Du behøver ikke gøre noget: overførslen prøves igen automatisk."),
  ).toBeVisible();
  const notice = page.getByRole("status").filter({ hasText: "Seneste forsøg fejlede" });
  await expect(notice).toContainText("e-conomic begrænser antallet af kald lige nu.");
  // The code is there for support, folded away.
  await expect(notice.getByText("Fejlkode: economic_rate_limited")).toBeHidden();
  await notice.getByText("Tekniske detaljer").click();
  await expect(notice.getByText("Fejlkode: economic_rate_limited")).toBeVisible();
  await expect(page.getByRole("cell", { name: "Fejlede, prøves igen" })).toBeVisible();

  // No reload: the page keeps refreshing while the retry waits, and shows the draft when it lands.
  await expect(heading.getByText("Kladde", { exact: true })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByRole("cell", { name: "Gennemført" })).toBeVisible();
});
