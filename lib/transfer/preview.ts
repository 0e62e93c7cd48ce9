import { formatAmount, formatDecimal, formatMoney } from "@/lib/i18n/format";
import type { CustomerInvoiceSettings, Locale } from "@/lib/settings/schema";
import type { AmountDifference, PlannedLine, PlanStep, TransferPlan } from "./plan-types";

/**
 * Human summaries for the settings page preview and the review page: what e-conomic would receive
 * for a plan, and what a combination of settings means. Pure; the UI picks the locale.
 */

type Transfer = Extract<TransferPlan, { kind: "transfer" }>;

const text = {
  da: {
    not_activated: "Overføres ikke: integrationen er ikke aktiveret.",
    debtor_integration_off: "Overføres ikke: „Aktiver debitor-integration“ er slået fra.",
    draft: "Oprettes som kladde i e-conomic.",
    booked: (n?: number) =>
      n === undefined ? "Bogføres i e-conomic." : `Bogføres i e-conomic som faktura ${n}.`,
    ean: "Sendes som EAN-faktura via NemHandel.",
    email: (to?: string) => `PDF fra e-conomic sendes pr. e-mail${to ? ` til ${to}` : ""}.`,
    emailIgnored: (rest: string[]) => ` Kun den første adresse bruges; ignoreret: ${rest.join(", ")}.`,
    emailInvalid: (value: string) =>
      `Kundens e-mail i Rackbeat („${value}“) er ikke en gyldig adresse: fakturaen bogføres, men mailes ikke.`,
    notSent: "Sendes ikke fra e-conomic.",
    customer: (n: number, project?: number) =>
      `Kundenummer på fakturaen: ${n}${project === undefined ? "" : ` (projekt ${project})`}.`,
    other: (ref: string) => `Øvrig reference: ${ref}.`,
    externalId: (id: string) => `Eksternt ID: ${id}.`,
    creates: (items: string[]) => `Opretter i e-conomic: ${items.join(", ")}.`,
    line: (l: string, q: string, p: string, net: string) => `${l}: ${q} à ${p} = ${net}`,
    discounted: (l: string, q: string, p: string, d: string, net: string) =>
      `${l}: ${q} à ${p}, rabat ${d} % = ${net}`,
    rounded: (q: string, p: string) => ` (antal afrundet fra ${q} à ${p}, står i teksten)`,
    collapsed: (q: string, p: string) => ` (faktisk ${q} à ${p}, står i teksten)`,
    total: (net: string) => `Netto i alt: ${net}.`,
    gross: (vat: string, gross: string) => `Moms ${vat}, brutto i alt: ${gross}.`,
    mismatch: (net: string, gross?: string) =>
      `Afviger fra Rackbeats netto ${net}${gross === undefined ? "" : ` og brutto ${gross}`}; overføres kun som kladde.`,
    cannotMatch: (net: string, gross: string, economicNet: string, economicGross: string) =>
      `Beløbene kan ikke passe på øren (Rackbeat netto ${net}, brutto ${gross}; e-conomic netto ${economicNet}, brutto ${economicGross}): overførslen stopper som Fejlet.`,
    steps: {
      group: (n: number) => `kundegruppe ${n}`,
      customer: (n: number) => `kunde ${n}`,
      update: (n: number) => `opdaterer kunde ${n}`,
      contact: (name: string) => `kontaktperson ${name}`,
      productGroup: (n: number) => `varegruppe ${n}`,
      product: (n: string) => `vare ${n}`,
    },
  },
  en: {
    not_activated: "Not transferred: the integration is not activated.",
    debtor_integration_off: "Not transferred: “Enable debtor integration” is off.",
    draft: "Created as a draft in e-conomic.",
    booked: (n?: number) =>
      n === undefined ? "Booked in e-conomic." : `Booked in e-conomic as invoice ${n}.`,
    ean: "Sent as an EAN invoice through NemHandel.",
    email: (to?: string) => `The PDF from e-conomic is e-mailed${to ? ` to ${to}` : ""}.`,
    emailIgnored: (rest: string[]) => ` Only the first address is used; ignored: ${rest.join(", ")}.`,
    emailInvalid: (value: string) =>
      `The customer's e-mail in Rackbeat (“${value}”) is not a valid address: the invoice is booked but not e-mailed.`,
    notSent: "Not sent from e-conomic.",
    customer: (n: number, project?: number) =>
      `Customer number on the invoice: ${n}${project === undefined ? "" : ` (project ${project})`}.`,
    other: (ref: string) => `Other reference: ${ref}.`,
    externalId: (id: string) => `External ID: ${id}.`,
    creates: (items: string[]) => `Creates in e-conomic: ${items.join(", ")}.`,
    line: (l: string, q: string, p: string, net: string) => `${l}: ${q} at ${p} = ${net}`,
    discounted: (l: string, q: string, p: string, d: string, net: string) =>
      `${l}: ${q} at ${p}, ${d}% discount = ${net}`,
    rounded: (q: string, p: string) => ` (quantity rounded from ${q} at ${p}, shown in the text)`,
    collapsed: (q: string, p: string) => ` (actually ${q} at ${p}, shown in the text)`,
    total: (net: string) => `Net total: ${net}.`,
    gross: (vat: string, gross: string) => `VAT ${vat}, gross total: ${gross}.`,
    mismatch: (net: string, gross?: string) =>
      `Differs from Rackbeat's net ${net}${gross === undefined ? "" : ` and gross ${gross}`}; transferred as a draft only.`,
    cannotMatch: (net: string, gross: string, economicNet: string, economicGross: string) =>
      `The amounts cannot match to the øre (Rackbeat net ${net}, gross ${gross}; e-conomic net ${economicNet}, gross ${economicGross}): the transfer stops as Failed.`,
    steps: {
      group: (n: number) => `customer group ${n}`,
      customer: (n: number) => `customer ${n}`,
      update: (n: number) => `updates customer ${n}`,
      contact: (name: string) => `contact person ${name}`,
      productGroup: (n: number) => `product group ${n}`,
      product: (n: string) => `product ${n}`,
    },
  },
} as const;

function describeStep(step: PlanStep, locale: Locale): string | undefined {
  const t = text[locale].steps;
  switch (step.type) {
    case "createCustomerGroup":
      return t.group(step.customerGroupNumber);
    case "createCustomer":
      return t.customer(step.body.customerNumber);
    case "updateCustomer":
      return t.update(step.customerNumber);
    case "createCustomerContact":
      return t.contact(step.name);
    case "createProductGroup":
      return t.productGroup(step.productGroupNumber);
    case "createProduct":
      return t.product(step.body.productNumber);
    default:
      return undefined;
  }
}

function describeLine(line: PlannedLine, locale: Locale): string {
  const t = text[locale];
  const n = (value: string) => formatDecimal(value, locale);
  const money = (value: string) => formatAmount(value, locale);
  const discount =
    line.discountPercentage && Number(line.discountPercentage) !== 0 ? line.discountPercentage : null;
  // The discount is shown, so quantity × price visibly adds up to the line's net amount.
  const head = discount
    ? t.discounted(
        line.productNumber,
        n(line.quantity),
        money(line.unitNetPrice),
        n(discount),
        money(line.netAmount),
      )
    : t.line(line.productNumber, n(line.quantity), money(line.unitNetPrice), money(line.netAmount));
  if (line.treatment === "rounded") return head + t.rounded(n(line.sourceQuantity), n(line.sourceUnitPrice));
  if (line.treatment === "collapsed")
    return head + t.collapsed(n(line.sourceQuantity), n(line.sourceUnitPrice));
  return head;
}

function sendingLine(plan: Transfer, locale: Locale): string {
  const t = text[locale];
  if (plan.sendBy === "ean") return t.ean;
  if (plan.sendBy === "email") {
    const email = plan.steps.find((s) => s.type === "emailPdf");
    if (email?.type !== "emailPdf") return t.email(undefined);
    if (email.invalid !== undefined) return t.emailInvalid(email.invalid);
    return t.email(email.to) + (email.ignored?.length ? t.emailIgnored(email.ignored) : "");
  }
  return t.notSent;
}

/** Short lines: draft or booked, how it is sent, references, customer number, lines and total. */
export function describePlan(plan: TransferPlan, locale: Locale): string[] {
  const t = text[locale];
  if (plan.kind === "skip") return [t[plan.reason]];

  const creates = plan.steps.flatMap((step) => describeStep(step, locale) ?? []);
  const { draft } = plan;
  return [
    plan.book ? t.booked(plan.bookWithNumber) : t.draft,
    sendingLine(plan, locale),
    t.customer(draft.customer.customerNumber, draft.project?.projectNumber),
    ...(draft.references?.other ? [t.other(draft.references.other)] : []),
    t.externalId(plan.externalId),
    ...(creates.length > 0 ? [t.creates(creates)] : []),
    ...plan.lines.map((line) => describeLine(line, locale)),
    t.total(formatMoney(plan.expectedNetAmount, draft.currency, locale)),
    // Plans stored before VAT was predicted have no gross to show.
    ...(plan.expectedGrossAmount === undefined
      ? []
      : [
          t.gross(
            formatAmount(plan.expectedVatAmount, locale),
            formatMoney(plan.expectedGrossAmount, draft.currency, locale),
          ),
        ]),
    ...(plan.amountsDiffer
      ? [
          t.mismatch(
            formatMoney(plan.rackbeatNetAmount, draft.currency, locale),
            plan.rackbeatGrossAmount === undefined
              ? undefined
              : formatMoney(plan.rackbeatGrossAmount, draft.currency, locale),
          ),
        ]
      : []),
  ];
}

/** The preview's line for an invoice the plan refuses because its amounts cannot match. */
export function describeAmountMismatch(amounts: AmountDifference, locale: Locale): string {
  const n = (value: string | undefined) => (value ? formatMoney(value, amounts.currency, locale) : "?");
  return text[locale].cannotMatch(
    n(amounts.rackbeatNet),
    n(amounts.rackbeatGross),
    n(amounts.economicNet),
    n(amounts.economicGross),
  );
}

export type SettingHintCode =
  | "nothing_transferred"
  | "drafts_only"
  | "never_book_ean_without_effect"
  | "booked_not_sent"
  | "booked_and_sent"
  | "never_book_ean_active"
  | "actual_quantity_rounds"
  | "quantity_in_text"
  | "project_id_as_customer_number";

export const settingHintMessages: Record<Locale, Record<SettingHintCode, string>> = {
  da: {
    nothing_transferred: "„Aktiver debitor-integration“ er slået fra: intet overføres til e-conomic.",
    drafts_only: "Begge bogføringsvalg er slået fra: fakturaer overføres som kladder i e-conomic.",
    never_book_ean_without_effect:
      "„Bogfør aldrig EAN fakturaer“ har ingen virkning, så længe intet bogføres.",
    booked_not_sent:
      "Fakturaer bogføres i e-conomic, men sendes fra Rackbeat; EAN-fakturaer sendes via NemHandel.",
    booked_and_sent:
      "Fakturaer bogføres og sendes fra e-conomic: EAN-fakturaer via NemHandel, andre som PDF pr. e-mail.",
    never_book_ean_active: "EAN-fakturaer overføres som kladder, selvom andre fakturaer bogføres.",
    actual_quantity_rounds:
      "Antal afrundes til 2 decimaler, og enhedsprisen vælges, så linjens beløb passer på øren; de oprindelige tal står i teksten.",
    quantity_in_text:
      "Linjer, som e-conomic ikke kan gengive præcist med 2 decimaler, overføres som antal 1 til linjens beløb; det faktiske antal står i teksten.",
    project_id_as_customer_number: "Fakturaer med et projekt får projektets ID som kundenummer.",
  },
  en: {
    nothing_transferred: "“Enable debtor integration” is off: nothing is transferred to e-conomic.",
    drafts_only: "Both booking options are off: invoices arrive in e-conomic as drafts.",
    never_book_ean_without_effect: "“Never book EAN invoices” has no effect while nothing is booked.",
    booked_not_sent:
      "Invoices are booked in e-conomic but sent from Rackbeat; EAN invoices go through NemHandel.",
    booked_and_sent:
      "Invoices are booked and sent from e-conomic: EAN through NemHandel, others as a PDF by e-mail.",
    never_book_ean_active: "EAN invoices arrive as drafts even though other invoices are booked.",
    actual_quantity_rounds:
      "Quantities are rounded to 2 decimals with the unit price chosen so each line's amount matches to the øre; the original figures are in the text.",
    quantity_in_text:
      "Lines e-conomic cannot reproduce exactly with 2 decimals are sent as quantity 1 at the line amount; the real quantity is in the text.",
    project_id_as_customer_number: "Invoices with a project get the project's ID as customer number.",
  },
};

/** Which hints apply to a combination of settings, most important first. */
export function settingHintCodes(settings: CustomerInvoiceSettings): SettingHintCode[] {
  const books = settings.bookAndSendFromEconomic || settings.bookWhenBookedInRackbeat;
  const codes: SettingHintCode[] = [];
  if (!settings.debtorIntegration) codes.push("nothing_transferred");
  if (!books) codes.push("drafts_only");
  if (!books && settings.neverBookEanInvoices) codes.push("never_book_ean_without_effect");
  if (books) codes.push(settings.bookAndSendFromEconomic ? "booked_and_sent" : "booked_not_sent");
  if (books && settings.neverBookEanInvoices) codes.push("never_book_ean_active");
  codes.push(settings.useActualQuantity ? "actual_quantity_rounds" : "quantity_in_text");
  if (settings.customerNumberField === "projectId") codes.push("project_id_as_customer_number");
  return codes;
}

export function settingHints(settings: CustomerInvoiceSettings, locale: Locale = "da"): string[] {
  return settingHintCodes(settings).map((code) => settingHintMessages[locale][code]);
}
