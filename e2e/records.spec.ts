import { expect, type Page, test } from "@playwright/test";
import { finishRegistration, uniqueEmail } from "./fixtures";

/*
 * The debitor integration in the UI: activating with "Aktiver debitor-integration" registers the
 * master-data webhooks and starts the first sync; the setup guide shows its progress (from the
 * queue, so also after a reload) and "Synkronisér kunder og grupper nu"; the review page's Stamdata
 * tab lists the syncs.
 */

const PASSWORD = "hemmelig-kode";

async function activatedSandboxCompany(page: Page) {
  const email = uniqueEmail("stamdata");
  await page.goto("/register");
  await page.getByLabel("Virksomhedsnavn").fill("Stamdata ApS");
  await page.getByLabel("Dit navn").fill("Sofie Stamdata");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Adgangskode").fill(PASSWORD);
  await page.getByRole("button", { name: "Opret virksomhed" }).click();
  await finishRegistration(page, { email, password: PASSWORD });
  await page.getByRole("button", { name: "Brug sandkasse" }).click();
  await expect(page.getByRole("region", { name: "Sandkasse" }).getByRole("status")).toContainText(
    "Sandkassen er forbundet",
  );
  await page.goto("/settings/customer-invoice");
  const form = page.getByRole("form", { name: "Kundefaktura" });
  await page.getByRole("checkbox", { name: "Aktiver debitor-integration", exact: true }).click();
  await page.getByLabel("Konto til kundegrupper", { exact: true }).selectOption("5600");
  await page.getByLabel("Indland", { exact: true }).selectOption("1010");
  await page.getByLabel("EU", { exact: true }).selectOption("1025");
  await page.getByLabel("Udland", { exact: true }).selectOption("1020");
  await page.getByLabel("Indland momsfri", { exact: true }).selectOption("1015");
  await form.getByRole("button", { name: "Aktivér integration" }).click();
  await expect(form.getByRole("status")).toHaveText(
    "Indstillingerne er gemt, og integrationen er aktiveret.",
  );
}

test("activation syncs the existing customers and groups; progress, sync now, Stamdata", async ({ page }) => {
  await activatedSandboxCompany(page);
  await expect(page.getByText("Kontoen bruges kun ved oprettelse", { exact: false })).toBeVisible();

  await page.goto("/setup");
  const step = page.getByRole("region", { name: "Kunder og grupper" });
  await expect(
    step.getByText(/^Hændelser registreret i Rackbeat: customer\.created, customer\.updated/),
  ).toBeVisible();
  const progress = step.getByRole("progressbar", { name: "Fremdrift for kunder og grupper" });
  await expect(progress).toBeVisible();
  // Everything the sandbox account holds is synced; the figures come from the queue (a reload shows them).
  await expect
    .poll(
      async () => {
        await page.reload();
        return progress.getAttribute("aria-valuenow");
      },
      { timeout: 60_000 },
    )
    .toBe("100");
  await expect(step.getByText("Fejlet:")).toBeVisible();

  // The walk over Rackbeat is a job of its own: shown as done, and a new click starts another.
  await expect(step.getByText(/^Alle \d+ kunder og grupper er hentet fra Rackbeat\.$/)).toBeVisible();
  await step.getByRole("button", { name: "Synkronisér kunder og grupper nu" }).click();
  await expect(step.getByRole("status").filter({ hasText: "Synkroniseringen er startet" })).toBeVisible();

  await page.goto("/review");
  await page.getByRole("link", { name: "Stamdata" }).click();
  await expect(page.getByRole("heading", { name: "Stamdata" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Kundegruppe" }).first()).toBeVisible();
  await page.getByLabel("Type").selectOption("customer");
  await page.getByRole("button", { name: "Filtrér" }).click();
  await expect(page).toHaveURL(/kind=customer/);
  await expect(page.getByRole("cell", { name: "Kundegruppe" })).toHaveCount(0);
  await expect(page.getByRole("cell", { name: "Kunde", exact: true }).first()).toBeVisible();
});

test("a synced customer's detail page shows its status, attempts and e-conomic calls", async ({ page }) => {
  await activatedSandboxCompany(page);
  await page.goto("/review/records?kind=customer");
  // A customer the first sync created in e-conomic (its calls column is not 0).
  let href: string | null = null;
  await expect
    .poll(
      async () => {
        await page.reload();
        href = await page.evaluate(() => {
          for (const row of document.querySelectorAll("tbody tr")) {
            const cells = row.querySelectorAll("td");
            if (cells[2]?.getAttribute("data-status") === "booked" && Number(cells[4]?.textContent) > 0)
              return row.querySelector("a")?.getAttribute("href") ?? null;
          }
          return null;
        });
        return href;
      },
      { timeout: 60_000 },
    )
    .toMatch(/^\/review\/records\/[0-9a-f-]{36}$/);
  await page.goto(href!);
  await expect(page.getByRole("heading", { level: 1, name: /^Kunde \d+$/ })).toBeVisible();
  await expect(page.getByText("Synkroniseret", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Tilbage til stamdata" })).toBeVisible();
  const calls = page.getByRole("table", { name: "Kald til e-conomic" });
  await expect(calls.getByRole("cell", { name: "/customers", exact: true }).first()).toBeVisible();
  await expect(calls.getByRole("cell", { name: "POST", exact: true }).first()).toBeVisible();
  const attempts = page.getByRole("table", { name: "Forsøg" });
  await expect(attempts).toBeVisible();
  expect(await attempts.getByRole("row").count()).toBeGreaterThan(1);
  await expect(page.getByText("Synkronisering af kunder og grupper")).toBeVisible();

  // In English too.
  await page
    .context()
    .addCookies([{ name: "locale", value: "en", url: test.info().project.use.baseURL ?? "" }]);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: /^Customer \d+$/ })).toBeVisible();
  await expect(page.getByRole("table", { name: "Calls to e-conomic" })).toBeVisible();

  // Another company's sync, or no sync at all, is not found.
  const missing = await page.goto("/review/records/00000000-0000-4000-8000-000000000000");
  expect(missing?.status()).toBe(404);
});
