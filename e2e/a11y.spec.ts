import AxeBuilder from "@axe-core/playwright";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { activate, bookTestInvoice, chooseAccounts, connectBothSandboxes, registerCompany } from "./fixtures";

// Every page in Danish and English, at desktop width and at 390 px (a phone): axe finds no serious
// or critical violation, the page never scrolls sideways, and a screenshot of each is kept under
// test-results/screenshots/ for a reviewer to look at without running anything.

const widths = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "390px", width: 390, height: 844 },
] as const;
type Lang = "da" | "en";

async function audit(page: Page, name: string, lang: Lang, width: (typeof widths)[number]) {
  await page.setViewportSize({ width: width.width, height: width.height });
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
  // The skeletons and refreshes settle before the page is judged.
  await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
  await page.screenshot({
    path: `test-results/screenshots/${name}-${lang}-${width.name}.png`,
    fullPage: true,
  });
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect.soft(serious, `${name} ${lang} ${width.name}`).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect.soft(overflow, `${name} ${lang} ${width.name} scrolls sideways`).toBeLessThanOrEqual(0);
}

async function signedOutPages(browser: Browser, lang: Lang, width: (typeof widths)[number]) {
  const context = await browser.newContext({ locale: lang === "da" ? "da-DK" : "en-GB" });
  await context.addCookies([{ name: "locale", value: lang, url: test.info().project.use.baseURL ?? "" }]);
  const page = await context.newPage();
  for (const [name, path] of [
    ["login", "/login"],
    ["register", "/register"],
  ] as const) {
    await page.goto(path);
    await audit(page, name, lang, width);
  }
  await context.close();
}

/** A company with the whole story behind it: connected, activated, one invoice transferred. */
async function storyCompany(
  browser: Browser,
): Promise<{ storageState: string; detail: string; record: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await registerCompany(page, { companyName: "Tilgængelig ApS", ownerName: "Alma Axe", emailPrefix: "a11y" });
  await audit(page, "setup-first-run", "da", widths[0]);
  await connectBothSandboxes(page);
  await chooseAccounts(page);
  await activate(page);
  const invoice = await bookTestInvoice(page);
  await page.goto("/review");
  const link = page.getByRole("link", { name: `Vis faktura ${invoice}` });
  await expect(link).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("table").getByText("Kladde", { exact: true })).toBeVisible({ timeout: 30_000 });
  const detail = (await link.getAttribute("href")) ?? "";
  // A master-data sync's detail page (the first sync at activation queued the account's records).
  // The list is not live: reload until the first sync's records are listed.
  await page.goto("/review/records");
  const recordLink = page.getByRole("table").getByRole("link").first();
  await expect
    .poll(
      async () => {
        await page.reload();
        return recordLink.count();
      },
      { timeout: 60_000 },
    )
    .toBeGreaterThan(0);
  const record = (await recordLink.getAttribute("href")) ?? "";
  const storageState = test.info().outputPath("a11y-state.json");
  await context.storageState({ path: storageState });
  await context.close();
  return { storageState, detail, record };
}

test.describe
  .serial("every page, in Danish and English, at desktop width and 390 px", () => {
    let story: { storageState: string; detail: string; record: string };

    test.beforeAll(async ({ browser }) => {
      test.setTimeout(180_000);
      story = await storyCompany(browser);
    });

    for (const lang of ["da", "en"] as const) {
      for (const width of widths) {
        test(`no serious or critical axe violations: ${lang}, ${width.name}`, async ({ browser }) => {
          test.setTimeout(180_000);
          await signedOutPages(browser, lang, width);
          const context = await browser.newContext({ storageState: story.storageState });
          // The language of every request is the locale cookie (the header's switch sets it).
          await context.addCookies([
            { name: "locale", value: lang, url: test.info().project.use.baseURL ?? "" },
          ]);
          const page = await context.newPage();
          for (const [name, path] of [
            ["setup", "/setup"],
            ["customer-invoice", "/settings/customer-invoice"],
            ["review", "/review"],
            ["review-short-search", "/review?q=ab"],
            ["transfer", story.detail],
            ["records", "/review/records"],
            ["record", story.record],
            ["not-found", "/review/00000000-0000-4000-8000-000000000000"],
          ] as const) {
            await page.goto(path);
            await audit(page, name, lang, width);
          }
          await context.close();
        });
      }
    }
  });

test("at 390 px the review list shows each status and the history's changes wrap on screen", async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await registerCompany(page, { companyName: "Mobil ApS", ownerName: "Mads Mobil", emailPrefix: "mobil" });
  await connectBothSandboxes(page);
  // Not activated: the test invoice says so, and arrives as "Ikke overført".
  await expect(page.getByText(/Integrationen er ikke aktiveret, så testfakturaen/)).toBeVisible();
  await page.getByRole("button", { name: "Send testfaktura" }).click();
  await expect(page.getByText(/^Testfaktura \d+ er bogført i Rackbeat\.$/)).toBeVisible({ timeout: 60_000 });

  await page.goto("/review");
  const status = page.getByRole("table").getByText("Ikke overført", { exact: true }).first();
  await expect(status).toBeVisible({ timeout: 30_000 });
  const box = await status.boundingBox();
  expect(box && box.x + box.width).toBeLessThanOrEqual(390);

  // A short search explains itself instead of "no match".
  await page.getByLabel("Søg").fill("ab");
  await page.getByRole("button", { name: "Filtrér" }).click();
  await expect(page.getByText(/Kundenavne søges først fra 3 tegn/)).toBeVisible();

  // The history's change text stays on screen.
  await page.goto("/settings/customer-invoice");
  await page.getByRole("checkbox", { name: "Aktiver debitor-integration", exact: true }).click();
  await page
    .getByRole("form", { name: "Kundefaktura" })
    .getByRole("button", { name: "Gem indstillinger" })
    .click();
  const history = page.getByRole("region", { name: "Ændringshistorik" });
  const change = history.getByText(/Slået fra → Slået til/).first();
  await expect(change).toBeVisible();
  const changeBox = await change.boundingBox();
  expect(changeBox && changeBox.x + changeBox.width).toBeLessThanOrEqual(390);
});
