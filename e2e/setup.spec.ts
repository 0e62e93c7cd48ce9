import { expect, type Page, test } from "@playwright/test";
import { DEMO_VIEWER, finishRegistration, signIn, uniqueEmail } from "./fixtures";

/** A company of its own, so the demo company and other tests stay untouched. */
async function registerCompany(page: Page, companyName: string) {
  const email = uniqueEmail("setup");
  await page.goto("/register");
  await page.getByLabel("Virksomhedsnavn").fill(companyName);
  await page.getByLabel("Dit navn").fill("Sofie Setup");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode").fill("hemmelig-kode");
  await page.getByRole("button", { name: "Opret virksomhed" }).click();
  await finishRegistration(page, { email, password: "hemmelig-kode" });
}

const step = (page: Page, name: string) => page.getByRole("region", { name });
const economicStep = (page: Page) => step(page, "1. Forbind e-conomic");
const rackbeatStep = (page: Page) => step(page, "2. Forbind Rackbeat");
const defaultsStep = (page: Page) => step(page, "3. Standarder");
const activationStep = (page: Page) => step(page, "4. Kundefaktura og aktivering");

test("Brug sandkasse connects both systems; every step is done; errors and disconnect", async ({ page }) => {
  await registerCompany(page, "Sandkassefirma ApS");
  await expect(economicStep(page).getByText("Ikke udført", { exact: true })).toBeVisible();
  await expect(rackbeatStep(page).getByText("Ikke udført", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Brug sandkasse" }).click();
  await expect(page.getByRole("region", { name: "Sandkasse" }).getByRole("status")).toHaveText(
    "Sandkassen er forbundet: e-conomic-regnskabet Sandkasse ApS og Rackbeat-kontoen Kaffe & Delikatesser ApS.",
  );
  await expect(economicStep(page).getByText("Udført", { exact: true })).toBeVisible();
  await expect(
    economicStep(page).getByText(/Forbundet til Sandkasse ApS \(aftalenummer \d+\)\./),
  ).toBeVisible();
  await expect(rackbeatStep(page).getByText("Udført", { exact: true })).toBeVisible();
  await expect(
    rackbeatStep(page).getByText(/Forbundet til Rackbeat-kontoen Kaffe & Delikatesser ApS/),
  ).toBeVisible();
  await expect(rackbeatStep(page).getByText("Webhook registreret for: invoice.booked")).toBeVisible();
  await expect(defaultsStep(page).getByText("Udført", { exact: true })).toBeVisible();
  await expect(defaultsStep(page).getByLabel("Standardlayout")).not.toHaveValue("");
  await expect(defaultsStep(page).getByLabel("Standardbetalingsbetingelse")).not.toHaveValue("");
  await expect(defaultsStep(page).getByLabel("Afsender-e-mail for fakturaer")).toHaveValue(
    /^setup-.*@example\.com$/,
  );
  await expect(activationStep(page).getByText("Integrationen er ikke aktiveret endnu.")).toBeVisible();
  await expect(activationStep(page).getByRole("link", { name: "Gå til Kundefaktura" })).toHaveAttribute(
    "href",
    "/settings/customer-invoice",
  );

  // A test invoice booked in the Rackbeat sandbox.
  await page.getByRole("button", { name: "Send testfaktura" }).click();
  const sandbox = page.getByRole("region", { name: "Sandkasse" });
  await expect(sandbox.getByText(/^Testfaktura \d+ er bogført i Rackbeat\.$/)).toBeVisible();
  await expect(sandbox.getByRole("link", { name: "Se den i Gennemgang af integration" })).toHaveAttribute(
    "href",
    "/review",
  );

  // Defaults are checked on the server too: an address that is no e-mail is refused next to the field.
  await defaultsStep(page).getByLabel("Afsender-e-mail for fakturaer").fill("ikke-en-adresse");
  await defaultsStep(page).getByRole("button", { name: "Gem standarder" }).click();
  await expect(page.locator("#field-senderEmail-error")).toHaveText("Angiv en gyldig e-mailadresse.");

  // An invalid grant token: a message next to the field, and the connection stays as it was.
  await page.getByLabel("Agreement grant token").fill("det-her-er-ikke-et-token");
  await page.getByRole("button", { name: "Gem token" }).click();
  await expect(page.locator("#field-agreementGrantToken-error")).toHaveText(
    "e-conomic afviste tokenet. Kontroller, at det er kopieret korrekt.",
  );
  await expect(page.getByLabel("Agreement grant token")).toHaveAttribute("aria-invalid", "true");
  await page.reload();
  await expect(economicStep(page).getByText("Udført", { exact: true })).toBeVisible();
  await expect(economicStep(page).getByText(/Forbundet til Sandkasse ApS/)).toBeVisible();

  // Disconnecting Rackbeat deletes our webhook there and the step is not done any more.
  await rackbeatStep(page).getByRole("button", { name: "Afbryd forbindelse" }).click();
  await expect(rackbeatStep(page).getByRole("status")).toHaveText(
    "Forbindelsen til Rackbeat er afbrudt, og webhooken er slettet i Rackbeat.",
  );
  await expect(rackbeatStep(page).getByText("Ikke udført", { exact: true })).toBeVisible();
  await expect(rackbeatStep(page).getByText("Rackbeat er ikke forbundet endnu.")).toBeVisible();
  await expect(economicStep(page).getByText("Udført", { exact: true })).toBeVisible();
});

test("a pasted sandbox grant token connects e-conomic and is never shown back", async ({ page, request }) => {
  await registerCompany(page, "Tokenfirma ApS");
  const res = await request.post("/sandbox/economic/agreements", {
    data: { companyName: "Indsat Token ApS" },
  });
  expect(res.status()).toBe(201);
  const { agreementGrantToken } = (await res.json()) as { agreementGrantToken: string };
  await page.getByLabel("Agreement grant token").fill(agreementGrantToken);
  await page.getByRole("button", { name: "Gem token" }).click();
  await expect(economicStep(page).getByRole("status")).toHaveText(
    "e-conomic er forbundet til Indsat Token ApS.",
  );
  await expect(economicStep(page).getByText("Udført", { exact: true })).toBeVisible();
  await expect(economicStep(page).getByText(`Token: …${agreementGrantToken.slice(-4)}`)).toBeVisible();
  await page.reload();
  await expect(economicStep(page).getByText(/Forbundet til Indsat Token ApS/)).toBeVisible();
  expect(await page.content()).not.toContain(agreementGrantToken);
  // The defaults are loaded from this agreement now.
  await expect(defaultsStep(page).getByLabel("Standardlayout")).toBeEnabled();
});

test("Forbind til e-conomic runs the grant flow through the sandbox's page; a forged callback is refused", async ({
  page,
}) => {
  await registerCompany(page, "Grantfirma ApS");
  await page.getByRole("button", { name: "Forbind til e-conomic" }).click();
  await expect(page.getByRole("heading", { name: /Giv adgang til dit e-conomic-regnskab/ })).toBeVisible();
  expect(new URL(page.url()).searchParams.get("locale")).toBe("da-DK");
  await page.getByLabel("Firmanavn").fill("Godkendt ApS");
  await page.getByRole("button", { name: "Godkend" }).click();
  await expect(page).toHaveURL(/\/setup\?economic=connected$/);
  await expect(economicStep(page).getByRole("status")).toHaveText("e-conomic er forbundet til Godkendt ApS.");
  await expect(economicStep(page).getByText("Udført", { exact: true })).toBeVisible();

  // A link someone else made (no state of this browser) connects nothing.
  await page.goto("/setup/economic/callback?state=forged&token=someone-elses-token");
  await expect(page).toHaveURL(/\/setup\?economic=state$/);
  await expect(economicStep(page).getByRole("alert")).toHaveText(
    "Forbindelsen kunne ikke bekræftes (anmodningen var udløbet eller ikke din). Prøv igen.",
  );
  await expect(economicStep(page).getByText(/Forbundet til Godkendt ApS/)).toBeVisible();
});

test("a viewer sees the guide read-only and the server refuses a forged connect", async ({
  page,
  request,
}) => {
  await signIn(page, DEMO_VIEWER);
  await page.goto("/setup");
  await expect(page.getByText("Du har læseadgang.", { exact: false })).toBeVisible();
  await expect(page.getByLabel("API-nøgle")).toBeDisabled();
  await expect(page.getByLabel("Agreement grant token")).toBeDisabled();
  await expect(page.getByRole("button", { name: "Brug sandkasse" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Forbind til Rackbeat" })).toBeDisabled();

  const res = await request.post("/sandbox/rackbeat/accounts");
  expect(res.status()).toBe(201);
  const { apiKey } = (await res.json()) as { apiKey: string };
  await page.evaluate(() => {
    for (const el of document.querySelectorAll("fieldset, input, button, select")) {
      el.removeAttribute("disabled");
      el.removeAttribute("aria-disabled");
    }
  });
  await page.getByLabel("API-nøgle").fill(apiKey);
  await page.getByRole("button", { name: "Forbind til Rackbeat" }).click();
  await expect(rackbeatStep(page).getByRole("alert")).toHaveText(
    "Kun administratorer kan foretage denne ændring.",
  );
  await page.reload();
  await expect(rackbeatStep(page).getByText("Ikke udført", { exact: true })).toBeVisible();
  await expect(rackbeatStep(page).getByText("Rackbeat er ikke forbundet endnu.")).toBeVisible();
});
