import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import {
  activate,
  bookTestInvoice,
  chooseAccounts,
  connectBothSandboxes,
  formAlert,
  registerCompany,
  signIn,
  uniqueEmail,
} from "./fixtures";

// Issue 14's findings, end to end against the production build: headers and a nonce CSP the app's
// own pages pass, sessions that end at sign-out, a throttle forged headers cannot dodge, and a
// Rackbeat sandbox that posts only to this server.

const PASSWORD = "hemmelig-kode";

async function registerAndSignIn(page: Page, companyName: string) {
  const { email } = await registerCompany(page, {
    companyName,
    ownerName: "Signe Sikker",
    emailPrefix: "sikker",
  });
  return email;
}

/** Every `securitypolicyviolation` any page of the context raises, with where it happened. */
async function recordCspViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.exposeBinding("__reportCspViolation", ({ page }, text: string) => {
    violations.push(`${page.url()}: ${text}`);
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __reportCspViolation: (text: string) => void })
        .__reportCspViolation;
      report(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
  return violations;
}

test("every page answers with the security headers and a fresh nonce CSP", async ({ request }) => {
  const first = await request.get("/login");
  const second = await request.get("/login");
  const headers = first.headers();
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["permissions-policy"]).toContain("camera=()");
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
  expect(csp).toContain("style-src 'self' 'nonce-");
  expect(csp).not.toMatch(/script-src[^;]*unsafe/);
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(/'nonce-([^']+)'/.exec(second.headers()["content-security-policy"] ?? "")?.[1]).not.toBe(nonce);
  // Next.js puts the nonce on its own scripts.
  expect(await first.text()).toContain(`nonce="${nonce}"`);
  // Plain http here: no HSTS (it is sent when served over https).
  expect(headers["strict-transport-security"]).toBeUndefined();
  // Paths middleware skips get the static headers too.
  const webhook = await request.post("/api/rackbeat/webhooks", { data: {} });
  expect(webhook.headers()["x-content-type-options"]).toBe("nosniff");
  expect(webhook.headers()["x-frame-options"]).toBe("DENY");
});

test("the app's own pages raise no CSP violation: login, register, setup, Kundefaktura, review and its detail", async ({
  page,
  context,
}) => {
  const violations = await recordCspViolations(context);
  await registerAndSignIn(page, "CSP ApS");
  await connectBothSandboxes(page);

  await chooseAccounts(page);
  await activate(page);

  const invoice = await bookTestInvoice(page);

  await page.goto("/review");
  const link = page.getByRole("link", { name: `Vis faktura ${invoice}` });
  await expect(link).toBeVisible({ timeout: 30_000 });
  await page.goto("/review?cursor=not-a-cursor&from=2025-02-30&status=nope");
  await expect(page.getByText(/filtre blev ignoreret/)).toBeVisible();
  await page.goto("/review");
  await link.click();
  await expect(page).toHaveURL(/\/review\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.goto("/account/password");
  await expect(page.getByLabel("Ny adgangskode")).toBeVisible();
  // A signed-out visit to the auth pages too.
  await page.context().clearCookies();
  await page.goto("/login");
  await page.goto("/register");
  await expect(page.getByRole("button", { name: "Opret virksomhed" })).toBeVisible();
  expect(violations).toEqual([]);
});

test("a crafted review cursor with an impossible date shows the first page, not an error", async ({
  page,
}) => {
  await registerAndSignIn(page, "Cursor ApS");
  const cursor = Buffer.from("2025-02-30T10:00:00.000000Z|0b7e2f4c-1d2e-4f3a-8b9c-0d1e2f3a4b5c").toString(
    "base64url",
  );
  const response = await page.goto(`/review?cursor=${cursor}&q=%00`);
  expect(response?.status()).toBe(200);
  await expect(page.getByText("Ingen fakturaer er overført endnu.")).toBeVisible();
});

test("sign-out ends the session everywhere: the old cookie and another browser are signed out", async ({
  page,
  browser,
}) => {
  const email = await registerAndSignIn(page, "Session ApS");
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, { email, password: PASSWORD });

  const stolen = await page.context().cookies();
  await page.getByRole("button", { name: "Log ud" }).click();
  await expect(page).toHaveURL(/\/login/);
  // The cookie from before sign-out, replayed, opens nothing.
  await page.context().addCookies(stolen);
  await page.goto("/review");
  await expect(page).toHaveURL(/\/login/);
  await otherPage.goto("/review");
  await expect(otherPage).toHaveURL(/\/login/);
  await other.close();
});

test("a new X-Forwarded-For per attempt does not dodge the sign-in back-off", async ({ page }) => {
  const email = uniqueEmail("forged");
  await page.goto("/login");
  for (let i = 0; i < 6; i++) {
    await page.setExtraHTTPHeaders({ "x-forwarded-for": `10.66.${i}.${i + 1}` });
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Adgangskode").fill(`gæt-${i}`);
    await page.getByRole("button", { name: "Log ind" }).click();
    await expect(formAlert(page)).toHaveText(
      i < 5 ? "Forkert e-mail eller adgangskode." : /For mange mislykkede forsøg/,
    );
  }
});

test("the Rackbeat sandbox registers and delivers webhooks only to this server", async ({
  request,
  baseURL,
}) => {
  const account = await request.post("/sandbox/rackbeat/accounts");
  expect(account.status()).toBe(201);
  const { apiKey } = (await account.json()) as { apiKey: string };
  const headers = { Authorization: `Bearer ${apiKey}` };
  const elsewhere = await request.post("/sandbox/rackbeat/api/webhooks", {
    headers,
    data: { event: "invoice.booked", url: "http://169.254.169.254/latest/meta-data" },
  });
  expect(elsewhere.status()).toBe(422);
  expect(((await elsewhere.json()) as { errors: Record<string, string[]> }).errors.url?.[0]).toContain(
    "only to",
  );
  const here = await request.post("/sandbox/rackbeat/api/webhooks", {
    headers,
    data: { event: "invoice.booked", url: `${baseURL}/api/rackbeat/webhooks` },
  });
  expect(here.status()).toBe(201);
});

test("a password change ends every session and only the new password signs in", async ({ page, browser }) => {
  const email = await registerAndSignIn(page, "Kodeskift ApS");
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, { email, password: PASSWORD });

  await page.getByRole("link", { name: "Skift adgangskode" }).click();
  await page.getByLabel("Nuværende adgangskode").fill("forkert-kode");
  await page.getByLabel("Ny adgangskode").fill("ny-hemmelig-kode");
  await page.getByRole("button", { name: "Skift adgangskode" }).click();
  await expect(page.locator("#field-currentPassword-error")).toHaveText(
    "Den nuværende adgangskode er forkert.",
  );
  await page.getByLabel("Nuværende adgangskode").fill(PASSWORD);
  await page.getByLabel("Ny adgangskode").fill("ny-hemmelig-kode");
  await page.getByRole("button", { name: "Skift adgangskode" }).click();
  await expect(page).toHaveURL(/\/login\?passwordChanged=1/);
  await expect(page.getByText("Adgangskoden er skiftet")).toBeVisible();

  await otherPage.goto("/review");
  await expect(otherPage).toHaveURL(/\/login/);
  await other.close();
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode").fill("ny-hemmelig-kode");
  await page.getByRole("button", { name: "Log ind" }).click();
  await expect(page.getByRole("button", { name: "Log ud" })).toBeVisible();
});
