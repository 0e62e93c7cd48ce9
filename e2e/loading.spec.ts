import { expect, test } from "@playwright/test";
import { region, registerCompany } from "./fixtures";

// Loading states: a page that is slow to come shows its skeleton (busy, with "Indlæser…" for screen
// readers) in place of the old page, and a form's busy state ends once its save is done.

test("a slow page shows its skeleton until it is there, then nothing stays busy", async ({ page }) => {
  await registerCompany(page, {
    companyName: "Skelet ApS",
    ownerName: "Sara Skelet",
    emailPrefix: "skeleton",
  });
  // Hold the next page's server data back for a moment, as a slow server would.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(/\/review(\?|$)/, async (route) => {
    if (route.request().headers().rsc === "1") await held;
    await route.continue();
  });
  await page
    .getByRole("navigation", { name: "Hovedmenu" })
    .getByRole("link", { name: "Gennemgang af integration" })
    .click();
  const skeleton = page.locator("[data-skeleton=list]");
  await expect(skeleton).toBeVisible();
  await expect(skeleton).toHaveAttribute("aria-busy", "true");
  await expect(skeleton.getByRole("status")).toHaveText("Indlæser…");
  // The old page is out of sight meanwhile.
  await expect(page.getByRole("heading", { level: 1, name: "Opsætningsguide" })).toBeHidden();
  release();
  await expect(page.getByRole("heading", { level: 1, name: "Gennemgang af integration" })).toBeVisible();
  await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
});

test("a form's busy state ends after each save", async ({ page }) => {
  await registerCompany(page, { companyName: "Travl ApS", ownerName: "Tina Travl", emailPrefix: "busy" });
  const company = region(page, "Virksomhed");
  for (const name of ["Travl ApS 2", "Travl ApS 3"]) {
    await company.getByLabel("Virksomhedsnavn").fill(name);
    await company.getByRole("button", { name: "Gem" }).click();
    await expect(company.getByRole("status")).toBeVisible();
    const save = company.getByRole("button", { name: "Gem" });
    await expect(save).toBeEnabled();
    await expect(save).not.toHaveAttribute("aria-busy", "true");
    await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
    await expect(page.getByRole("region", { name: "Brugermenu" })).toContainText(name);
  }
});
