import { type APIRequestContext, expect, type Locator, type Page } from "@playwright/test";

export const DEMO_ADMIN = { email: "demo@example.com", password: "demo1234" };
export const DEMO_VIEWER = { email: "viewer@example.com", password: "demo1234" };

export async function signIn(page: Page, user: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Adgangskode").fill(user.password);
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page.getByRole("button", { name: "Log ud" })).toBeVisible();
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@example.com`;
}

/** The form's own alert (Next's route announcer has role=alert too). */
export function formAlert(page: Page): Locator {
  return page.locator("main form [role=alert]");
}

/**
 * After "Opret virksomhed": registration answers the same for a new and a taken e-mail (so it
 * reveals no accounts), sending everyone to sign in; a new owner then lands in the setup guide.
 */
export async function finishRegistration(page: Page, user: { email: string; password: string }) {
  await expect(page).toHaveURL(/\/login\?registered=1/);
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Adgangskode").fill(user.password);
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/setup$/);
}

export const region = (page: Page, name: string) => page.getByRole("region", { name });

export interface NewCompany {
  companyName: string;
  ownerName: string;
  /** Prefix of the owner's unique e-mail. */
  emailPrefix: string;
}

/** Registers a company and signs its owner in: the page ends in the setup guide. */
export async function registerCompany(page: Page, company: NewCompany) {
  const user = { email: uniqueEmail(company.emailPrefix), password: "hemmelig-kode" };
  await page.goto("/register");
  await page.getByLabel("Virksomhedsnavn").fill(company.companyName);
  await page.getByLabel("Dit navn").fill(company.ownerName);
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Adgangskode").fill(user.password);
  await page.getByRole("button", { name: "Opret virksomhed" }).click();
  await finishRegistration(page, user);
  return user;
}

/** Setup step 1 with a new e-conomic sandbox agreement; returns its grant token. */
export async function connectEconomicSandbox(
  page: Page,
  request: APIRequestContext,
  agreementName: string,
): Promise<string> {
  const agreement = await request.post("/sandbox/economic/agreements", {
    data: { companyName: agreementName },
  });
  expect(agreement.status()).toBe(201);
  const { agreementGrantToken } = (await agreement.json()) as { agreementGrantToken: string };
  await page.getByLabel("Agreement grant token").fill(agreementGrantToken);
  await page.getByRole("button", { name: "Gem token" }).click();
  await expect(region(page, "1. Forbind e-conomic").getByRole("status")).toContainText(
    "e-conomic er forbundet",
  );
  return agreementGrantToken;
}

export interface RackbeatAccount {
  apiKey: string;
  accountId: number;
}

/** Setup step 2 with a new Rackbeat sandbox account, up to its registered webhook. */
export async function connectRackbeatSandbox(
  page: Page,
  request: APIRequestContext,
): Promise<RackbeatAccount> {
  const created = await request.post("/sandbox/rackbeat/accounts");
  expect(created.status()).toBe(201);
  const account = (await created.json()) as RackbeatAccount;
  await page.getByLabel("API-nøgle").fill(account.apiKey);
  await page.getByRole("button", { name: "Forbind til Rackbeat" }).click();
  await expect(
    region(page, "2. Forbind Rackbeat").getByText("Webhook registreret for: invoice.booked"),
  ).toBeVisible();
  return account;
}

/** Setup step 3: the first layout and payment terms and a sender address, saved. */
export async function saveDefaults(page: Page) {
  const defaults = region(page, "3. Standarder");
  await defaults.getByLabel("Standardlayout").selectOption({ index: 1 });
  await defaults.getByLabel("Standardbetalingsbetingelse").selectOption({ index: 1 });
  await defaults.getByLabel("Afsender-e-mail for fakturaer").fill("faktura@example.com");
  await defaults.getByRole("button", { name: "Gem standarder" }).click();
  await expect(defaults.getByRole("status")).toHaveText("Standarderne er gemt.");
}

/** Kundefaktura with the debtor integration on and every account chosen (optionally booking too). */
export async function chooseAccounts(page: Page, options: { book?: boolean } = {}) {
  await page.goto("/settings/customer-invoice");
  await page.getByRole("checkbox", { name: "Aktiver debitor-integration", exact: true }).click();
  if (options.book) {
    await page
      .getByRole("checkbox", { name: "Bogfør fakturaer i e-conomic ved bogføring i Rackbeat", exact: true })
      .click();
  }
  await page.getByLabel("Konto til kundegrupper", { exact: true }).selectOption("5600");
  await page.getByLabel("Indland", { exact: true }).selectOption("1010");
  await page.getByLabel("EU", { exact: true }).selectOption("1025");
  await page.getByLabel("Udland", { exact: true }).selectOption("1020");
  await page.getByLabel("Indland momsfri", { exact: true }).selectOption("1015");
}

/** Saves Kundefaktura with "Aktivér integration". */
export async function activate(page: Page) {
  const form = page.getByRole("form", { name: "Kundefaktura" });
  await form.getByRole("button", { name: "Aktivér integration" }).click();
  await expect(form.getByRole("status")).toHaveText(
    "Indstillingerne er gemt, og integrationen er aktiveret.",
  );
}

/**
 * A fresh company with both sandboxes connected by hand (so the test knows the grant token and the
 * Rackbeat key), defaults saved, every account chosen and the integration active.
 */
export async function activeCompany(
  page: Page,
  request: APIRequestContext,
  company: NewCompany & { agreementName?: string; book?: boolean },
): Promise<RackbeatAccount & { agreementGrantToken: string }> {
  await registerCompany(page, company);
  const agreementGrantToken = await connectEconomicSandbox(
    page,
    request,
    company.agreementName ?? company.companyName,
  );
  const account = await connectRackbeatSandbox(page, request);
  await saveDefaults(page);
  await chooseAccounts(page, { book: company.book });
  await activate(page);
  return { ...account, agreementGrantToken };
}

/** "Send testfaktura" in the setup guide's sandbox section; returns the booked invoice's number. */
export async function bookTestInvoice(page: Page): Promise<string> {
  await page.goto("/setup");
  await page.getByRole("button", { name: "Send testfaktura" }).click();
  const sent = region(page, "Sandkasse").getByText(/^Testfaktura \d+ er bogført i Rackbeat\.$/);
  await expect(sent).toBeVisible({ timeout: 30_000 });
  const number = /Testfaktura (\d+)/.exec((await sent.textContent()) ?? "")?.[1];
  if (!number) throw new Error("no invoice number");
  return number;
}

/** "Brug sandkasse" in the setup guide: both sandboxes connected and defaults chosen in one go. */
export async function connectBothSandboxes(page: Page) {
  await page.getByRole("button", { name: "Brug sandkasse" }).click();
  await expect(region(page, "Sandkasse").getByRole("status")).toContainText("Sandkassen er forbundet", {
    timeout: 30_000,
  });
}
