import { type APIRequestContext, type Browser, expect, type Page, test } from "@playwright/test";
import { DEMO_VIEWER, finishRegistration, signIn, uniqueEmail } from "./fixtures";

/*
 * The Kundefaktura page: the nine settings of e-conomic's guide, checked against the company's own
 * chart of accounts (the e-conomic sandbox's), versioned, previewed and activated. Each test works
 * on a company of its own, connected through the sandboxes by pasting their credentials into the
 * setup guide, so the demo company and other specs stay untouched.
 */

const PAGE = "/settings/customer-invoice";
const PASSWORD = "hemmelig-kode";

type Credentials = { email: string; password: string };

async function registerCompany(page: Page, companyName: string): Promise<Credentials> {
  const credentials = { email: uniqueEmail("kundefaktura"), password: PASSWORD };
  await page.goto("/register");
  await page.getByLabel("Virksomhedsnavn").fill(companyName);
  await page.getByLabel("Dit navn").fill("Karen Kunde");
  await page.getByLabel("E-mail").fill(credentials.email);
  await page.getByLabel("Adgangskode").fill(credentials.password);
  await page.getByRole("button", { name: "Opret virksomhed" }).click();
  await finishRegistration(page, credentials);
  return credentials;
}

const setupStep = (page: Page, name: string) => page.getByRole("region", { name });

async function connectEconomic(page: Page, request: APIRequestContext) {
  const res = await request.post("/sandbox/economic/agreements", { data: { companyName: "Kontoplan ApS" } });
  expect(res.status()).toBe(201);
  const { agreementGrantToken } = (await res.json()) as { agreementGrantToken: string };
  await page.goto("/setup");
  await page.getByLabel("Agreement grant token").fill(agreementGrantToken);
  await page.getByRole("button", { name: "Gem token" }).click();
  await expect(setupStep(page, "1. Forbind e-conomic").getByRole("status")).toHaveText(
    "e-conomic er forbundet til Kontoplan ApS.",
  );
}

async function connectRackbeatAndDefaults(page: Page, request: APIRequestContext) {
  const res = await request.post("/sandbox/rackbeat/accounts");
  expect(res.status()).toBe(201);
  const { apiKey } = (await res.json()) as { apiKey: string };
  await page.goto("/setup");
  await page.getByLabel("API-nøgle").fill(apiKey);
  await page.getByRole("button", { name: "Forbind til Rackbeat" }).click();
  const rackbeat = setupStep(page, "2. Forbind Rackbeat");
  await expect(rackbeat.getByText("Webhook registreret for: invoice.booked")).toBeVisible();
  const defaults = setupStep(page, "3. Standarder");
  await defaults.getByLabel("Standardlayout").selectOption({ index: 1 });
  await defaults.getByLabel("Standardbetalingsbetingelse").selectOption({ index: 1 });
  await defaults.getByLabel("Afsender-e-mail for fakturaer").fill("faktura@example.com");
  await defaults.getByRole("button", { name: "Gem standarder" }).click();
  await expect(defaults.getByRole("status")).toHaveText("Standarderne er gemt.");
}

const form = (page: Page) => page.getByRole("form", { name: "Kundefaktura" });
const checkbox = (page: Page, label: string) => page.getByRole("checkbox", { name: label, exact: true });
const picker = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const fieldError = (page: Page, field: string) => page.locator(`[id="field-${field}-error"]`);
const settingsAlert = (page: Page) => form(page).getByRole("alert");
const settingsStatus = (page: Page) => form(page).getByRole("status");
const preview = (page: Page) => page.getByTestId("preview-lines");

const CHECKBOXES = [
  "Aktiver debitor-integration",
  "Bogfør og send fakturaen fra e-conomic",
  "Bogfør fakturaer i e-conomic ved bogføring i Rackbeat",
  "Brug faktisk antal ved oprettelse",
  "Overfør alligevel som kladde",
  "Bogfør aldrig EAN fakturaer",
  "Aktiver overførsel af ordrenummer til anden reference på faktura",
] as const;

async function optionTexts(page: Page, label: string): Promise<string[]> {
  return picker(page, label).locator("option").allTextContents();
}

/** A signed-in admin of a fresh company whose e-conomic is connected, on the Kundefaktura page. */
async function connectedCompany(browser: Browser, request: APIRequestContext, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const credentials = await registerCompany(page, name);
  await connectEconomic(page, request);
  await context.close();
  return credentials;
}

test("every setting is changed, saved and still there after a reload; preview, history, both languages", async ({
  page,
  request,
}, testInfo) => {
  await registerCompany(page, "Alle Indstillinger ApS");
  await connectEconomic(page, request);
  await page.goto(PAGE);
  await expect(page.getByRole("heading", { name: "Kundefaktura", level: 1 })).toBeVisible();
  await expect(page.getByTestId("activation-status")).toHaveText("Ikke aktiv");
  await expect(page.getByText(/Kontoplanen er hentet fra e-conomic/)).toBeVisible();

  // Grouped as the guide groups them.
  await expect(form(page).getByRole("heading", { name: "Kundefaktura", exact: true })).toBeVisible();
  await expect(
    form(page).getByRole("group", { name: "Standard til oprettelse af varegrupper i e-conomic" }),
  ).toBeVisible();
  await expect(form(page).getByRole("heading", { name: "Overførsel af kundefakturaer" })).toBeVisible();

  // Defaults: every box off, Kundenummer.
  for (const label of CHECKBOXES)
    await expect(checkbox(page, label)).toHaveAttribute("aria-checked", "false");
  await expect(picker(page, "Felt til kundenummer")).toHaveValue("customerNumber");
  await expect(preview(page)).toContainText("Overføres ikke: „Aktiver debitor-integration“ er slået fra.");

  // The pickers offer the right kind of account, never a barred one, as "number – name".
  const statusOptions = await optionTexts(page, "Konto til kundegrupper");
  expect(statusOptions).toContain("5600 – Debitorer");
  expect(statusOptions).not.toContain("1010 – Salg af varer/ydelser m/moms");
  const revenueOptions = await optionTexts(page, "Indland");
  expect(revenueOptions).toContain("1010 – Salg af varer/ydelser m/moms");
  expect(revenueOptions).not.toContain("5600 – Debitorer");
  expect(revenueOptions.some((text) => text.startsWith("1090"))).toBe(false);

  // The search box narrows a picker's list.
  const euPicker = form(page).getByRole("group", {
    name: "Standard til oprettelse af varegrupper i e-conomic",
  });
  const euSearch = euPicker.getByRole("searchbox", { name: "Søg i kontoplanen" }).nth(1);
  await euSearch.fill("EU");
  await expect
    .poll(() => optionTexts(page, "EU"))
    .toEqual(["— Ingen konto valgt —", "1025 – Salg af varer til EU", "1026 – Salg af ydelser til EU"]);
  // …and selects its first match, so typing alone chooses an account.
  await expect(picker(page, "EU")).toHaveValue("1025");

  // Clicking the label toggles; the keyboard (Space) does too.
  await page.getByText("Aktiver debitor-integration", { exact: true }).click();
  await expect(checkbox(page, "Aktiver debitor-integration")).toHaveAttribute("aria-checked", "true");
  await checkbox(page, "Bogfør og send fakturaen fra e-conomic").focus();
  await page.keyboard.press("Space");
  await expect(checkbox(page, "Bogfør og send fakturaen fra e-conomic")).toHaveAttribute(
    "aria-checked",
    "true",
  );
  for (const label of CHECKBOXES.slice(2)) await checkbox(page, label).click();
  for (const label of CHECKBOXES) await expect(checkbox(page, label)).toHaveAttribute("aria-checked", "true");

  await picker(page, "Konto til kundegrupper").selectOption("5600");
  await picker(page, "Indland").selectOption("1010");
  await picker(page, "EU").selectOption("1025");
  await picker(page, "Udland").selectOption("1020");
  await picker(page, "Indland momsfri").selectOption("1015");
  await picker(page, "Felt til kundenummer").selectOption({ label: "Projekt-ID" });

  // The preview follows the form before anything is saved.
  await expect(preview(page)).toContainText("Bogføres i e-conomic som faktura 1021.");
  await expect(preview(page)).toContainText("Kundenummer på fakturaen: 7 (projekt 7).");
  await expect(preview(page)).toContainText("Øvrig reference: 5012.");
  // 12,345 × 189,5 = 2339,38: no 2-decimal price at quantity 12,35 gives that, so quantity 1.
  await expect(preview(page)).toContainText("KAF-1000: 1 à 2339,38 = 2339,38");
  await expect(preview(page)).toContainText("Moms 667,30, brutto i alt: 3336,50 DKK.");
  await page.getByLabel("EAN-kunde (faktura 1022, ordre 5013)").check();
  await expect(preview(page)).toContainText("Oprettes som kladde i e-conomic.");
  await expect(page.getByTestId("preview-hints")).toContainText(
    "EAN-fakturaer overføres som kladder, selvom andre fakturaer bogføres.",
  );

  await form(page).getByRole("button", { name: "Gem indstillinger" }).click();
  await expect(settingsStatus(page)).toHaveText("Indstillingerne er gemt.");

  await page.reload();
  for (const label of CHECKBOXES) await expect(checkbox(page, label)).toHaveAttribute("aria-checked", "true");
  await expect(picker(page, "Konto til kundegrupper")).toHaveValue("5600");
  await expect(picker(page, "Indland")).toHaveValue("1010");
  await expect(picker(page, "EU")).toHaveValue("1025");
  await expect(picker(page, "Udland")).toHaveValue("1020");
  await expect(picker(page, "Indland momsfri")).toHaveValue("1015");
  await expect(picker(page, "Felt til kundenummer")).toHaveValue("projectId");

  // The history: who, setting, old → new.
  const history = page.getByRole("region", { name: "Ændringshistorik" });
  await expect(history.getByRole("row")).toHaveCount(1 + 10);
  await expect(history.getByRole("row", { name: /Konto til kundegrupper/ })).toContainText("Karen Kunde");
  await expect(history.getByRole("row", { name: /Konto til kundegrupper/ })).toContainText(
    "Ingen → 5600 – Debitorer",
  );
  await expect(history.getByRole("row", { name: /Felt til kundenummer/ })).toContainText(
    "Kundenummer → Projekt-ID",
  );
  // Unchecking saves the change the other way, and a save without changes says so.
  await checkbox(page, "Brug faktisk antal ved oprettelse").click();
  await form(page).getByRole("button", { name: "Gem indstillinger" }).click();
  await expect(settingsStatus(page)).toHaveText("Indstillingerne er gemt.");
  await form(page).getByRole("button", { name: "Gem indstillinger" }).click();
  await expect(settingsStatus(page)).toHaveText("Der var ingen ændringer at gemme.");
  await page.reload();
  await expect(checkbox(page, "Brug faktisk antal ved oprettelse")).toHaveAttribute("aria-checked", "false");
  await expect(history.getByRole("row", { name: /Brug faktisk antal ved oprettelse/ }).first()).toContainText(
    "Slået til → Slået fra",
  );

  const da = testInfo.outputPath("kundefaktura-da.png");
  await page.screenshot({ path: da, fullPage: true });
  await testInfo.attach("kundefaktura-da", { path: da, contentType: "image/png" });

  // English: every label translated, the controls still reachable by label.
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Customer invoice", level: 1 })).toBeVisible();
  await expect(page.getByRole("checkbox", { name: "Enable debtor integration" })).toHaveAttribute(
    "aria-checked",
    "true",
  );
  await expect(page.getByLabel("Domestic", { exact: true })).toHaveValue("1010");
  await expect(page.getByLabel("Domestic VAT exempt", { exact: true })).toHaveValue("1015");
  await expect(page.getByLabel("Field for customer number")).toHaveValue("projectId");
  await expect(page.getByRole("button", { name: "Save settings" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Activate integration" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "How an invoice is transferred" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Change history" }).getByRole("row").nth(1)).toContainText(
    "On → Off",
  );
  const en = testInfo.outputPath("kundefaktura-en.png");
  await page.screenshot({ path: en, fullPage: true });
  await testInfo.attach("kundefaktura-en", { path: en, contentType: "image/png" });
});

test("a tampered account or option gets field errors and nothing is saved", async ({
  page,
  browser,
  request,
}) => {
  const admin = await connectedCompany(browser, request, "Manipuleret ApS");
  await signIn(page, admin);
  await page.goto(PAGE);
  await checkbox(page, "Aktiver debitor-integration").click();
  // Forge what a crafted request would post: first an option the select never offered…
  await page.evaluate(() => {
    const select = document.getElementById("field-customerNumberField") as HTMLSelectElement;
    select.add(new Option("orderNumber", "orderNumber"));
    select.value = "orderNumber";
  });
  await form(page).getByRole("button", { name: "Gem indstillinger" }).click();
  await expect(settingsAlert(page)).toContainText("Ret de markerede felter. Intet er gemt.");
  await expect(fieldError(page, "customerNumberField")).toHaveText(
    "„Felt til kundenummer“: vælg en af de viste muligheder.",
  );
  await expect(picker(page, "Felt til kundenummer")).toHaveAttribute("aria-invalid", "true");

  // …then accounts the pickers never offered: not in the chart, the wrong type, barred.
  await page.evaluate(() => {
    const force = (id: string, value: string) => {
      const select = document.getElementById(id) as HTMLSelectElement;
      if (![...select.options].some((option) => option.value === value)) select.add(new Option(value, value));
      select.value = value;
    };
    force("field-customerNumberField", "customerNumber");
    force("field-productGroupAccounts.domestic", "4242");
    force("field-customerGroupAccount", "1010");
    force("field-productGroupAccounts.eu", "1090");
  });
  await form(page).getByRole("button", { name: "Gem indstillinger" }).click();
  await expect(fieldError(page, "productGroupAccounts.domestic")).toHaveText(
    "„Standard til oprettelse af varegrupper i e-conomic: Indland“: konto 4242 findes ikke i kontoplanen i e-conomic.",
  );
  await expect(fieldError(page, "customerGroupAccount")).toHaveText(
    "„Konto til kundegrupper“: konto 1010 er ikke en statuskonto (balance).",
  );
  await expect(fieldError(page, "productGroupAccounts.eu")).toHaveText(
    "„Standard til oprettelse af varegrupper i e-conomic: EU“: konto 1090 er spærret i e-conomic.",
  );
  await expect(picker(page, "Indland")).toHaveAttribute("aria-invalid", "true");

  await page.reload();
  await expect(checkbox(page, "Aktiver debitor-integration")).toHaveAttribute("aria-checked", "false");
  await expect(picker(page, "Indland")).toHaveValue("");
  await expect(page.getByText("Indstillingerne er ikke ændret endnu.")).toBeVisible();
});

test("two tabs: the older save is refused and shows the newer values", async ({ browser, request }) => {
  const admin = await connectedCompany(browser, request, "To Faner ApS");
  const context = await browser.newContext();
  const first = await context.newPage();
  await signIn(first, admin);
  await first.goto(PAGE);
  const second = await context.newPage();
  await second.goto(PAGE);

  await checkbox(first, "Bogfør aldrig EAN fakturaer").click();
  await picker(first, "Konto til kundegrupper").selectOption("5600");
  await form(first).getByRole("button", { name: "Gem indstillinger" }).click();
  await expect(settingsStatus(first)).toHaveText("Indstillingerne er gemt.");

  await checkbox(second, "Brug faktisk antal ved oprettelse").click();
  await form(second).getByRole("button", { name: "Gem indstillinger" }).click();
  await expect(settingsAlert(second)).toContainText(
    "Indstillingerne er ændret af en anden (version 1), efter du åbnede siden. Dine ændringer er ikke gemt.",
  );
  const newer = second.getByTestId("conflict-values");
  await expect(newer).toContainText("Konto til kundegrupper: 5600 – Debitorer");
  await expect(newer).toContainText("Bogfør aldrig EAN fakturaer: Slået til");
  await expect(newer).toContainText("Brug faktisk antal ved oprettelse: Slået fra");

  await second.getByRole("link", { name: "Hent de nyeste indstillinger" }).click();
  await expect(checkbox(second, "Bogfør aldrig EAN fakturaer")).toHaveAttribute("aria-checked", "true");
  await expect(checkbox(second, "Brug faktisk antal ved oprettelse")).toHaveAttribute(
    "aria-checked",
    "false",
  );
  await expect(picker(second, "Konto til kundegrupper")).toHaveValue("5600");
  await context.close();
});

test("a viewer sees the page read-only and the server refuses a forged save", async ({ page }) => {
  await signIn(page, DEMO_VIEWER);
  await page.goto(PAGE);
  await expect(
    page.getByText("Du har læseadgang. Kun administratorer kan ændre indstillingerne."),
  ).toBeVisible();
  const debtor = checkbox(page, "Aktiver debitor-integration");
  await expect(debtor).toBeDisabled();
  await expect(picker(page, "Felt til kundenummer")).toBeDisabled();
  await expect(page.getByRole("button", { name: "Gem indstillinger" })).toBeDisabled();
  const before = await debtor.getAttribute("aria-checked");

  await page.evaluate(() => {
    for (const el of document.querySelectorAll("fieldset, input, button, select")) {
      el.removeAttribute("disabled");
      el.removeAttribute("aria-disabled");
    }
  });
  await debtor.click();
  await page.getByRole("button", { name: "Gem indstillinger" }).click();
  await expect(settingsAlert(page)).toHaveText("Kun administratorer kan foretage denne ændring.");
  await page.reload();
  await expect(checkbox(page, "Aktiver debitor-integration")).toHaveAttribute(
    "aria-checked",
    before ?? "false",
  );
});

test("activation is refused while connections are missing, accepted once connected; Deaktivér", async ({
  page,
  request,
}) => {
  await registerCompany(page, "Aktivering ApS");
  await page.goto(PAGE);
  await expect(page.getByTestId("activation-status")).toHaveText("Ikke aktiv");
  // Without e-conomic the page says so and links to the guide; the other settings stay editable.
  await expect(
    page.getByText(/e-conomic er ikke forbundet, så kontiene kan ikke vælges endnu/),
  ).toBeVisible();
  await expect(page.getByRole("link", { name: "Gå til opsætningsguiden" })).toHaveAttribute("href", "/setup");
  await expect(picker(page, "Konto til kundegrupper")).toBeDisabled();
  await checkbox(page, "Aktiver debitor-integration").click();
  await form(page).getByRole("button", { name: "Aktivér integration" }).click();
  await expect(settingsAlert(page)).toContainText(
    "Indstillingerne er gemt, men integrationen kan ikke aktiveres endnu. Dette mangler:",
  );
  const missing = page.getByTestId("activation-missing").getByRole("listitem");
  await expect(missing).toHaveText([
    "e-conomic er ikke forbundet (opsætningsguiden).",
    "Rackbeat er ikke forbundet (opsætningsguiden).",
    "Der er ikke valgt et standardlayout (opsætningsguiden).",
    "Der er ikke valgt standardbetalingsbetingelser (opsætningsguiden).",
    "„Konto til kundegrupper“ er ikke valgt.",
    "„Standard til oprettelse af varegrupper i e-conomic“ mangler konto for: Indland, EU, Udland, Indland momsfri.",
  ]);
  await page.reload();
  await expect(page.getByTestId("activation-status")).toHaveText("Ikke aktiv");
  await expect(checkbox(page, "Aktiver debitor-integration")).toHaveAttribute("aria-checked", "true");

  // e-conomic only: Rackbeat and the accounts are still missing.
  await connectEconomic(page, request);
  await page.goto(PAGE);
  await form(page).getByRole("button", { name: "Aktivér integration" }).click();
  await expect(missing.first()).toHaveText("Rackbeat er ikke forbundet (opsætningsguiden).");
  await expect(page.getByTestId("activation-status")).toHaveText("Ikke aktiv");

  await connectRackbeatAndDefaults(page, request);
  await page.goto(PAGE);
  await picker(page, "Konto til kundegrupper").selectOption("5600");
  await picker(page, "Indland").selectOption("1010");
  await picker(page, "EU").selectOption("1025");
  await picker(page, "Udland").selectOption("1020");
  await picker(page, "Indland momsfri").selectOption("1015");
  await form(page).getByRole("button", { name: "Aktivér integration" }).click();
  await expect(settingsStatus(page)).toHaveText("Indstillingerne er gemt, og integrationen er aktiveret.");
  await expect(page.getByTestId("activation-status")).toHaveText("Aktiv");
  await page.reload();
  await expect(page.getByTestId("activation-status")).toHaveText("Aktiv");
  await expect(page.getByRole("button", { name: "Aktivér integration" })).toHaveCount(0);

  // While active, an account the transfers need cannot be removed: refused next to the field.
  await picker(page, "EU").selectOption("");
  await form(page).getByRole("button", { name: "Gem indstillinger" }).click();
  await expect(fieldError(page, "productGroupAccounts.eu")).toHaveText(
    "Skal vælges, mens integrationen er aktiv. Deaktivér den først for at fjerne kontoen.",
  );
  await page.reload();
  await expect(picker(page, "EU")).toHaveValue("1025");

  // Deaktivér asks first: declining changes nothing, accepting switches the integration off.
  page.once("dialog", (dialog) => void dialog.dismiss());
  await page.getByRole("button", { name: "Deaktivér" }).click();
  await expect(page.getByTestId("activation-status")).toHaveText("Aktiv");
  page.once("dialog", (dialog) => {
    expect(dialog.message()).toContain("Vil du deaktivere integrationen?");
    void dialog.accept();
  });
  await page.getByRole("button", { name: "Deaktivér" }).click();
  await expect(page.getByTestId("activation-status")).toHaveText("Ikke aktiv");
  await expect(page.getByText("Integrationen er deaktiveret.", { exact: false })).toBeVisible();
  // Both switches are in the history, with who did them.
  const history = page.getByRole("region", { name: "Ændringshistorik" });
  await expect(history.getByRole("row").filter({ hasText: /Integrationen\s*Deaktiveret/ })).toHaveCount(1);
  await expect(history.getByRole("row").filter({ hasText: /Integrationen\s*Aktiveret/ })).toHaveCount(1);
});
