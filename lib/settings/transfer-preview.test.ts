import { describe, expect, it } from "vitest";
import { add, multiply, parseDecimal, round2, toFixedString } from "@/lib/money/decimal";
import { sampleInvoices } from "./sample-invoice";
import { type CustomerInvoiceSettings, defaultSettings } from "./schema";
import { previewTransfer } from "./transfer-preview";

const on = (patch: Partial<CustomerInvoiceSettings>): CustomerInvoiceSettings => ({
  ...defaultSettings,
  debtorIntegration: true,
  ...patch,
});

describe("the sample invoices", () => {
  it("have Rackbeat's subtotal: the exact line sum 2669.1975, rounded once", () => {
    for (const invoice of Object.values(sampleInvoices)) {
      const exact = invoice.lines.reduce((total, line) => {
        const gross = multiply(parseDecimal(line.quantity), parseDecimal(line.unitPrice));
        const keep = parseDecimal(line.discountPercentage === "10" ? "0.9" : "1");
        return add(total, multiply(gross, keep));
      }, parseDecimal(0));
      expect(toFixedString(exact, 4)).toBe("2669.1975");
      expect(toFixedString(round2(exact), 2)).toBe(invoice.subtotal);
    }
  });
});

describe("the Kundefaktura preview", () => {
  it("says nothing is transferred while debtor integration is off", () => {
    const preview = previewTransfer(defaultSettings, "regular", "da");
    expect(preview.lines).toEqual(["Overføres ikke: „Aktiver debitor-integration“ er slået fra."]);
    expect(preview.hints[0]).toContain("intet overføres");
  });

  it("shows a draft with kg lines collapsed to the øre by default", () => {
    const preview = previewTransfer(on({}), "regular", "da");
    expect(preview.lines[0]).toBe("Oprettes som kladde i e-conomic.");
    expect(preview.lines).toContain("Kundenummer på fakturaen: 1042 (projekt 7).");
    expect(
      preview.lines.some((l) => l.startsWith("KAF-1000: 1 à 2.339,38 = 2.339,38 (faktisk 12,345 à 189,5")),
    ).toBe(true);
    expect(preview.lines).toContain("Netto i alt: 2.669,20 DKK.");
    // The discount is shown, so 4 × 24,95 visibly becomes 89,82.
    expect(preview.lines).toContain("FIL-0102: 4 à 24,95, rabat 10 % = 89,82");
    expect(preview.lines.join("\n")).not.toContain("Øvrig reference");
  });

  it("keeps the real quantity with 'Brug faktisk antal ved oprettelse', priced to the øre", () => {
    const preview = previewTransfer(on({ useActualQuantity: true }), "regular", "en");
    // 12.345 × 189.5 = 2339.3775 → 2339.38; at quantity 12.35 no 2-decimal price gives exactly
    // that (189.42 → 2339.34, 189.43 → 2339.46), so the line is collapsed rather than off by øre.
    expect(preview.lines.find((l) => l.startsWith("KAF-1000:"))).toBe(
      "KAF-1000: 1 at 2,339.38 = 2,339.38 (actually 12.345 at 189.5, shown in the text)",
    );
    expect(preview.lines).toContain("Net total: 2,669.20 DKK.");
    expect(preview.lines).toContain("VAT 667.30, gross total: 3,336.50 DKK.");
    expect(preview.lines.join("\n")).not.toContain("Differs");
  });

  it("books and e-mails from e-conomic, with the order number as other reference and the project ID", () => {
    const preview = previewTransfer(
      on({
        bookAndSendFromEconomic: true,
        orderNumberToOtherReference: true,
        customerNumberField: "projectId",
      }),
      "regular",
      "da",
    );
    expect(preview.lines.slice(0, 4)).toEqual([
      "Bogføres i e-conomic som faktura 1021.",
      "PDF fra e-conomic sendes pr. e-mail til bogholderi@nordiskkaffebar.dk.",
      "Kundenummer på fakturaen: 7 (projekt 7).",
      "Øvrig reference: 5012.",
    ]);
  });

  it("keeps an EAN invoice as a draft with 'Bogfør aldrig EAN fakturaer'", () => {
    const booked = previewTransfer(on({ bookWhenBookedInRackbeat: true }), "ean", "da");
    expect(booked.lines.slice(0, 2)).toEqual([
      "Bogføres i e-conomic som faktura 1022.",
      "Sendes som EAN-faktura via NemHandel.",
    ]);
    const never = previewTransfer(
      on({ bookWhenBookedInRackbeat: true, neverBookEanInvoices: true }),
      "ean",
      "da",
    );
    expect(never.lines[0]).toBe("Oprettes som kladde i e-conomic.");
    expect(never.hints).toContain("EAN-fakturaer overføres som kladder, selvom andre fakturaer bogføres.");
  });

  it("hints that 'Bogfør aldrig EAN fakturaer' does nothing while nothing is booked", () => {
    const preview = previewTransfer(on({ neverBookEanInvoices: true }), "ean", "en");
    expect(preview.hints).toContain("“Never book EAN invoices” has no effect while nothing is booked.");
    expect(preview.hints).toContain("Both booking options are off: invoices arrive in e-conomic as drafts.");
  });
});
