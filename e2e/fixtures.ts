import { expect, type Locator, type Page } from "@playwright/test";

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

/**
 * Registers a new company through the register page and signs its owner in (registration itself
 * signs no one in: see `finishRegistration`); the owner then stands in the setup guide.
 */
export async function registerAndSignIn(
  page: Page,
  company: { companyName: string; name: string; emailPrefix: string },
): Promise<{ email: string; password: string }> {
  const user = { email: uniqueEmail(company.emailPrefix), password: "hemmelig-kode" };
  await page.goto("/register");
  await page.getByLabel("Virksomhedsnavn").fill(company.companyName);
  await page.getByLabel("Dit navn").fill(company.name);
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Adgangskode").fill(user.password);
  await page.getByRole("button", { name: "Opret virksomhed" }).click();
  await finishRegistration(page, user);
  return user;
}
