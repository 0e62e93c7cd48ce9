import { expect, test } from "@playwright/test";
import { DEMO_ADMIN, DEMO_VIEWER, finishRegistration, formAlert, signIn, uniqueEmail } from "./fixtures";

test("the demo admin signs in and sees the three tabs", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByText(DEMO_ADMIN.email)).toBeVisible();
  await signIn(page, DEMO_ADMIN);
  // Not connected yet: the start page is the setup guide, with the checklist pointing at step one.
  await expect(page).toHaveURL(/\/setup$/);
  const checklist = page.getByRole("region", { name: "Kom i gang" });
  await expect(checklist.getByRole("link", { name: "Næste trin: Forbind e-conomic" })).toHaveAttribute(
    "href",
    "/setup#economic-heading",
  );
  const nav = page.getByRole("navigation", { name: "Hovedmenu" });
  await expect(nav.getByRole("link", { name: "Opsætningsguide" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Kundefaktura" })).toBeVisible();
  await nav.getByRole("link", { name: "Gennemgang af integration" }).click();
  await expect(nav.getByRole("link", { name: "Gennemgang af integration" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  // The checklist is on every page until the integration is active.
  await expect(checklist).toBeVisible();
  await expect(page.getByText("Demo ApS · Administrator")).toBeVisible();
});

test("a wrong password shows an error and no session", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill("nobody-here@example.com");
  await page.getByLabel("Adgangskode").fill("not-the-password");
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(formAlert(page)).toHaveText("Forkert e-mail eller adgangskode.");
  await page.goto("/review");
  await expect(page).toHaveURL(/\/login/);
});

test("a signed-out visit to /review lands on /login and returns there after sign-in", async ({ page }) => {
  await page.goto("/review");
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await expect(page.getByRole("heading", { name: "Log ind" })).toBeVisible();
  await page.goto("/login?callbackUrl=%2Fsettings%2Fcustomer-invoice");
  await page.getByLabel("E-mail").fill(DEMO_ADMIN.email);
  await page.getByLabel("Adgangskode").fill(DEMO_ADMIN.password);
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page).toHaveURL(/\/settings\/customer-invoice$/);
});

test("register a new company and land in its own empty app", async ({ page }) => {
  const email = uniqueEmail("owner");
  await page.goto("/register");
  await page.getByLabel("Virksomhedsnavn").fill("Testfirma ApS");
  await page.getByLabel("Dit navn").fill("Tina Test");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode").fill("hemmelig-kode");
  await page.getByRole("button", { name: "Opret virksomhed" }).click();
  await finishRegistration(page, { email, password: "hemmelig-kode" });
  await expect(page.getByText("Testfirma ApS · Administrator")).toBeVisible();
  await expect(page.getByLabel("Virksomhedsnavn")).toHaveValue("Testfirma ApS");
  await page.getByRole("link", { name: "Gennemgang af integration" }).click();
  await expect(page.getByText("Ingen fakturaer er overført endnu.")).toBeVisible();
});

test("bad registration input gets field errors and creates nothing", async ({ page }) => {
  const email = uniqueEmail("bad");
  await page.goto("/register");
  await page.getByLabel("Virksomhedsnavn").fill("   ");
  await page.getByLabel("Dit navn").fill("Bo");
  await page.getByLabel("E-mail").fill("not-an-email");
  await page.getByLabel("Adgangskode").fill("kort");
  await page.getByRole("button", { name: "Opret virksomhed" }).click();
  await expect(page.getByLabel("Virksomhedsnavn")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#field-companyName-error")).toHaveText("Feltet skal udfyldes.");
  await expect(page.locator("#field-email-error")).toHaveText("Angiv en gyldig e-mailadresse.");
  await expect(page.locator("#field-password-error")).toHaveText("Adgangskoden skal være mindst 8 tegn.");
  await expect(page.getByLabel("Dit navn")).toHaveValue("Bo");
  // A taken e-mail gets the same answer as a new one (its owner is told by e-mail) and no company.
  await page.getByLabel("Virksomhedsnavn").fill("Dublet ApS");
  await page.getByLabel("E-mail").fill(DEMO_ADMIN.email);
  await page.getByLabel("Adgangskode").fill("langt-nok-kodeord");
  await page.getByRole("button", { name: "Opret virksomhed" }).click();
  await expect(page).toHaveURL(/\/login\?registered=1/);
  await page.getByLabel("E-mail").fill(DEMO_ADMIN.email);
  await page.getByLabel("Adgangskode").fill("langt-nok-kodeord");
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(formAlert(page)).toHaveText("Forkert e-mail eller adgangskode.");
  // Nothing was created: the never-registered e-mail cannot sign in.
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode").fill("kort");
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(formAlert(page)).toHaveText("Forkert e-mail eller adgangskode.");
});

test("the server refuses a viewer's admin action, not only the hidden button", async ({ page }) => {
  await signIn(page, DEMO_VIEWER);
  await page.goto("/setup");
  await expect(page.getByText("Du har læseadgang.", { exact: false })).toBeVisible();
  const name = page.getByLabel("Virksomhedsnavn");
  await expect(name).toBeDisabled();
  // Forge what a crafted request would do: enable the form and submit it anyway.
  await page.evaluate(() => {
    for (const el of document.querySelectorAll("fieldset, input, button")) {
      el.removeAttribute("disabled");
      el.removeAttribute("aria-disabled");
    }
  });
  await name.fill("Overtaget ApS");
  await page.getByRole("button", { name: "Gem", exact: true }).click();
  await expect(formAlert(page)).toHaveText("Kun administratorer kan foretage denne ændring.");
  await page.reload();
  await expect(page.getByLabel("Virksomhedsnavn")).toHaveValue("Demo ApS");
});

test("the language is English on request and remembered for the user", async ({ page, context }) => {
  const email = uniqueEmail("lang");
  await page.goto("/register");
  await page.getByLabel("Virksomhedsnavn").fill("Sprog ApS");
  await page.getByLabel("Dit navn").fill("Lars Lang");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode").fill("hemmelig-kode");
  await page.getByRole("button", { name: "Opret virksomhed" }).click();
  await finishRegistration(page, { email, password: "hemmelig-kode" });
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("link", { name: "Integration review" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  // A new browser session: the language comes back with the user, not the cookie.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await context.clearCookies();
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Log ind" })).toBeVisible();
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode").fill("hemmelig-kode");
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page.getByRole("link", { name: "Customer invoice", exact: true })).toBeVisible();
});

test("sign out ends the session", async ({ page }) => {
  await signIn(page, DEMO_ADMIN);
  await page.getByRole("button", { name: "Log ud" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/login/);
});
