import { expect, test } from "@playwright/test";
import { connectEconomicSandbox, region, registerCompany } from "./fixtures";

test("A: after the login redirect", async ({ page, request }) => {
  page.on("console", (m) => console.log("console:", m.type(), m.text()));
  await registerCompany(page, { companyName: "Probe A ApS", ownerName: "A", emailPrefix: "pa" });
  await connectEconomicSandbox(page, request, "Probe A");
});

test("B: after a full load", async ({ page, request }) => {
  page.on("console", (m) => console.log("console:", m.type(), m.text()));
  await registerCompany(page, { companyName: "Probe B ApS", ownerName: "B", emailPrefix: "pb" });
  await page.goto("/setup");
  await connectEconomicSandbox(page, request, "Probe B");
  await region(page, "Virksomhed").getByRole("button", { name: "Gem" }).click();
  await expect(region(page, "Virksomhed").getByRole("button", { name: "Gem" })).toBeEnabled();
});
