import {
  type Decimal,
  formatDanish,
  HUNDRED,
  multiply,
  parseDecimal,
  sign,
  toDecimalString,
  toEconomicNumber,
  toFixedString,
} from "@/lib/money/decimal";
import {
  type AmountCheck,
  type EconomicLineFigures,
  type InvoiceTargets,
  planEconomicLines,
  type SourceLine,
} from "@/lib/money/invoice-lines";
import { type CustomerInvoiceSettings, vatZoneKeys, vatZoneNumbers } from "@/lib/settings/schema";
import { chooseMailRecipient } from "./mail-recipient";
import {
  type AmountDifference,
  AmountMismatchError,
  type CustomerChanges,
  type CustomerSnapshot,
  customerContactKey,
  type EconomicCustomerBody,
  type EconomicDraftBody,
  type EconomicDraftLine,
  type EconomicProductBody,
  type KnownMasterData,
  type PlanCustomer,
  PlanInputError,
  type PlanInputErrorCode,
  type PlanInvoice,
  type PlanLine,
  type PlannedLine,
  type PlanSettings,
  type PlanStep,
  type SalesAccount,
  type SendBy,
  type TransferPlan,
  unitKey,
  type VatZoneNumber,
} from "./plan-types";

/**
 * The pure transfer plan: one Rackbeat invoice + the Kundefaktura settings + what we know exists in
 * e-conomic → the ordered steps the runner executes. No I/O here.
 *
 * Lines: how Rackbeat's figures become e-conomic lines, and the check that e-conomic's net and gross
 * will equal Rackbeat's subtotal and total to the øre, is the money module's
 * (`lib/money/invoice-lines.ts`); this file turns its figures into draft lines and texts.
 */

export const DESCRIPTION_MAX_LENGTH = 2500;
const ECONOMIC_PLACES = 2;

type ParsedLine = { source: PlanLine; money: SourceLine };

type DraftLineFigures = EconomicLineFigures & { source: PlanLine; description: string };

export type PlannedLines = {
  draftLines: EconomicDraftLine[];
  planned: PlannedLine[];
  check: AmountCheck;
};

function parseField(value: string, field: string): Decimal {
  try {
    return parseDecimal(value);
  } catch {
    throw new PlanInputError("invalid_decimal", field, value);
  }
}

/**
 * The VAT rate e-conomic applies to a line: its revenue account's VAT code, which for the accounts
 * the integration picks per VAT zone is 25 % in the domestic zone and 0 % elsewhere
 * (economic-api.md, "VAT"). A chart with other codes shows up in the amount check after drafting.
 */
export function economicVatRatePercent(vatZone: VatZoneNumber): number {
  return vatZone === 1 ? 25 : 0;
}

function parseLine(line: PlanLine, index: number, vatRatePercent: number): ParsedLine {
  const quantity = parseField(line.quantity, `lines[${index}].quantity`);
  const unitPrice = parseField(line.unitPrice, `lines[${index}].unitPrice`);
  const rawDiscount =
    line.discountPercentage === undefined || line.discountPercentage.trim() === ""
      ? undefined
      : parseField(line.discountPercentage, `lines[${index}].discountPercentage`);
  const discount = rawDiscount !== undefined && sign(rawDiscount) !== 0 ? rawDiscount : undefined;
  return {
    source: line,
    money: { quantity, unitPrice, ...(discount === undefined ? {} : { discount }), vatRatePercent },
  };
}

/** Cuts by code points, so an emoji or a combining pair is never split into invalid UTF-16. */
export function truncateText(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** Keeps the quantity note whole and shortens the product name instead. */
function describeWithNote(name: string, note: string): string {
  const suffix = ` (${note})`;
  return `${truncateText(name, DESCRIPTION_MAX_LENGTH - Array.from(suffix).length)}${suffix}`;
}

function quantityNote(line: ParsedLine): string {
  const unit = line.source.unit?.trim() ? ` ${line.source.unit.trim()}` : "";
  const { quantity, unitPrice, discount } = line.money;
  const rabat = discount === undefined ? "" : `, rabat ${formatDanish(discount)} %`;
  return `${formatDanish(quantity)}${unit} à ${formatDanish(unitPrice)}${rabat}`;
}

function withText(line: ParsedLine, figures: EconomicLineFigures): DraftLineFigures {
  const name = line.source.productName;
  return {
    ...figures,
    source: line.source,
    description: figures.noted
      ? describeWithNote(name, quantityNote(line))
      : truncateText(name, DESCRIPTION_MAX_LENGTH),
  };
}

function toDraftLine(line: DraftLineFigures, index: number): EconomicDraftLine {
  return {
    lineNumber: index + 1,
    sortKey: index + 1,
    product: { productNumber: line.source.productNumber },
    description: line.description,
    quantity: toEconomicNumber(line.quantity),
    unitNetPrice: toEconomicNumber(line.unitNetPrice),
    ...(line.discount === undefined ? {} : { discountPercentage: toEconomicNumber(line.discount) }),
  };
}

function toPlannedLine(line: DraftLineFigures): PlannedLine {
  return {
    productNumber: line.source.productNumber,
    treatment: line.form,
    sourceQuantity: line.source.quantity,
    sourceUnitPrice: line.source.unitPrice,
    quantity: toDecimalString(line.quantity),
    unitNetPrice: toFixedString(line.unitNetPrice, ECONOMIC_PLACES),
    ...(line.discount === undefined ? {} : { discountPercentage: toDecimalString(line.discount) }),
    netAmount: toFixedString(line.netAmount, ECONOMIC_PLACES),
  };
}

export function planLines(
  lines: PlanLine[],
  useActualQuantity: boolean,
  targets: InvoiceTargets,
  vatRatePercent: number,
): PlannedLines {
  const parsed = lines.map((line, index) => parseLine(line, index, vatRatePercent));
  const money = planEconomicLines(
    parsed.map((l) => l.money),
    useActualQuantity,
    targets,
  );
  const final = money.lines.map((figures, i) => withText(parsed[i]!, figures));
  return { draftLines: final.map(toDraftLine), planned: final.map(toPlannedLine), check: money.check };
}

// --- master data ---

const ECONOMIC_MAX_NUMBER = 999_999_999;

/** A whole number e-conomic accepts as a customer, project or booked-invoice number. */
export function toEconomicNumberId(text: string | undefined): number | undefined {
  const trimmed = text?.trim() ?? "";
  // Leading zeros are refused: "0042" booked as 42 would not read as the same number in both systems.
  if (!/^[1-9]\d{0,8}$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value <= ECONOMIC_MAX_NUMBER ? value : undefined;
}

/** An EAN (GLN) location number for NemHandel is exactly 13 digits. */
export function isEanNumber(ean: string | undefined): boolean {
  return /^\d{13}$/.test(ean?.trim() ?? "");
}

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Rackbeat may have no payment terms for a customer; then e-conomic's (or the default) stay. */
export type DesiredCustomer = Omit<CustomerSnapshot, "paymentTermsNumber"> & { paymentTermsNumber?: number };

/** Synced fields as Rackbeat has them; fields Rackbeat leaves empty are absent, never cleared. */
export function desiredCustomerFields(customer: PlanCustomer): DesiredCustomer {
  return withoutUndefined({
    name: truncateText(customer.name.trim(), 255),
    currency: customer.currency.trim().toUpperCase(),
    customerGroupNumber: customer.groupNumber,
    paymentTermsNumber: customer.paymentTermsNumber,
    vatZoneNumber: customer.vatZone,
    ean: present(customer.ean),
    corporateIdentificationNumber: present(customer.cvr),
    address: present(customer.address),
    zip: present(customer.zip),
    city: present(customer.city),
    country: present(customer.country),
    email: present(customer.email),
  });
}

export function customerBody(
  customerNumber: number,
  fields: DesiredCustomer,
  paymentTermsNumber: number,
): EconomicCustomerBody {
  return withoutUndefined({
    customerNumber,
    name: fields.name,
    currency: fields.currency,
    customerGroup: { customerGroupNumber: fields.customerGroupNumber },
    paymentTerms: { paymentTermsNumber: fields.paymentTermsNumber ?? paymentTermsNumber },
    vatZone: { vatZoneNumber: fields.vatZoneNumber },
    ean: fields.ean === undefined ? undefined : truncateText(fields.ean, 40),
    corporateIdentificationNumber: fields.corporateIdentificationNumber,
    address: fields.address,
    zip: fields.zip,
    city: fields.city,
    country: fields.country,
    email: fields.email,
  });
}

function customerChanges(known: CustomerSnapshot, desired: DesiredCustomer): CustomerChanges {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, to] of Object.entries(desired)) {
    const from = known[key as keyof CustomerSnapshot];
    if (from !== to) changes[key] = { from, to };
  }
  return changes as CustomerChanges;
}

function customerSteps(
  invoice: PlanInvoice,
  settings: PlanSettings,
  known: KnownMasterData,
  customerNumber: number,
): PlanStep[] {
  const { customer } = invoice;
  const steps: PlanStep[] = [];
  if (!known.customerGroups.has(customer.groupNumber)) {
    if (settings.customerGroupAccount === null) {
      throw new PlanInputError("customer_group_account_missing", "customerGroupAccount");
    }
    steps.push({
      type: "createCustomerGroup",
      customerGroupNumber: customer.groupNumber,
      name: truncateText(present(customer.groupName) ?? `Kundegruppe ${customer.groupNumber}`, 50),
      accountNumber: settings.customerGroupAccount,
    });
  }

  const desired = desiredCustomerFields(customer);
  const snapshot = known.customers.get(customerNumber);
  if (snapshot === undefined) {
    steps.push({
      type: "createCustomer",
      body: customerBody(customerNumber, desired, settings.defaultPaymentTermsNumber),
    });
    return steps;
  }
  const changes = customerChanges(snapshot, desired);
  if (Object.keys(changes).length > 0) {
    steps.push({
      type: "updateCustomer",
      customerNumber,
      changes,
      body: customerBody(customerNumber, { ...snapshot, ...desired }, snapshot.paymentTermsNumber),
    });
  }
  return steps;
}

/**
 * NemHandel needs a contact person on an EAN invoice. Rackbeat's "their reference" is that person;
 * without one we fall back to the customer's name so the invoice can still be sent.
 */
function eanContactName(customer: PlanCustomer): string {
  return truncateText(present(customer.theirReference) ?? customer.name.trim(), 255);
}

function productSteps(lines: PlanLine[], settings: PlanSettings, known: KnownMasterData): PlanStep[] {
  const groups = new Map<number, PlanLine>();
  const products = new Map<string, PlanLine>();
  for (const line of lines) {
    if (!known.productGroups.has(line.productGroupNumber) && !groups.has(line.productGroupNumber)) {
      groups.set(line.productGroupNumber, line);
    }
    if (!known.products.has(line.productNumber) && !products.has(line.productNumber)) {
      products.set(line.productNumber, line);
    }
  }
  const salesAccounts = productGroupSalesAccounts(settings);
  // e-conomic's Products API creates a group with its domestic revenue account, so that one is a must.
  if (groups.size > 0 && !salesAccounts.some((a) => a.vatZoneNumber === 1)) {
    throw new PlanInputError("product_group_accounts_missing", "productGroupAccounts");
  }
  const groupSteps: PlanStep[] = [...groups.values()].map((line) => ({
    type: "createProductGroup",
    productGroupNumber: line.productGroupNumber,
    name: truncateText(present(line.productGroupName) ?? `Varegruppe ${line.productGroupNumber}`, 50),
    salesAccounts,
  }));
  const productSteps: PlanStep[] = [...products.values()].map((line) => ({
    type: "createProduct",
    body: productBody(line, known),
  }));
  return [...groupSteps, ...productSteps];
}

/** A new e-conomic product as Rackbeat has it: its own name, sales price, unit and group. */
function productBody(line: PlanLine, known: KnownMasterData): EconomicProductBody {
  const name = present(line.itemName) ?? present(line.productName) ?? line.productNumber;
  const price = present(line.salesPrice);
  const unitNumber = line.unit === undefined ? undefined : known.units?.get(unitKey(line.unit));
  return withoutUndefined({
    productNumber: line.productNumber,
    name: truncateText(name, 300),
    productGroup: { productGroupNumber: line.productGroupNumber },
    salesPrice: price === undefined ? undefined : toEconomicNumber(parseField(price, "salesPrice")),
    unit: unitNumber === undefined ? undefined : { unitNumber },
  });
}

export function productGroupSalesAccounts(settings: PlanSettings): SalesAccount[] {
  return vatZoneKeys.flatMap((zone) => {
    const accountNumber = settings.productGroupAccounts[zone];
    return accountNumber === null ? [] : [{ vatZoneNumber: vatZoneNumbers[zone], accountNumber }];
  });
}

function checkProductNumbers(lines: PlanLine[]): void {
  lines.forEach((line, index) => {
    if (Array.from(line.productNumber).length > 25 || line.productNumber.trim() === "") {
      throw new PlanInputError(
        "product_number_too_long",
        `lines[${index}].productNumber`,
        line.productNumber,
      );
    }
  });
}

// --- booking ---

export type BookingDecision = { book: boolean; sendBy: SendBy };

/** product.md rule 6, verbatim: book = (bookAndSend || bookWhenBooked) && !(isEan && neverBookEan). */
export function decideBooking(settings: CustomerInvoiceSettings, isEan: boolean): BookingDecision {
  const book =
    (settings.bookAndSendFromEconomic || settings.bookWhenBookedInRackbeat) &&
    !(isEan && settings.neverBookEanInvoices);
  if (!book) return { book, sendBy: "none" };
  if (isEan) return { book, sendBy: "ean" };
  return { book, sendBy: settings.bookAndSendFromEconomic ? "email" : "none" };
}

// --- draft ---

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * e-conomic refuses a draft without `dueDate` when its payment terms are of type `dueDate`, and
 * uses it only then (economic-api.md; e-conomic's draft schema: "only used if the terms of payment
 * is of type 'duedate', in which case it is a mandatory property"). Rackbeat's own due date wins;
 * without one, the invoice date plus the terms' days of credit.
 */
function draftDueDate(invoice: PlanInvoice, known: KnownMasterData, paymentTermsNumber: number) {
  if (!known.dueDatePaymentTerms?.has(paymentTermsNumber)) return undefined;
  return (
    present(invoice.dueDate) ?? addDays(invoice.date, known.paymentTermsDays?.get(paymentTermsNumber) ?? 0)
  );
}

/** e-conomic's exchangeRate is the base-currency price of 100 units; Rackbeat's is of one unit. */
function exchangeRate(invoice: PlanInvoice, settings: PlanSettings): number | undefined {
  const baseCurrency = (settings.baseCurrency ?? "DKK").toUpperCase();
  if (invoice.currency.toUpperCase() === baseCurrency || present(invoice.currencyRate) === undefined) {
    return undefined;
  }
  const rate = parseField(invoice.currencyRate ?? "", "currencyRate");
  return toEconomicNumber(multiply(rate, HUNDRED), 6);
}

type DraftContext = {
  invoice: PlanInvoice;
  settings: PlanSettings;
  known: KnownMasterData;
  draftCustomerNumber: number;
  projectNumber?: number;
  isEan: boolean;
  contactNumber?: number;
  draftLines: EconomicDraftLine[];
};

function draftReferences(ctx: DraftContext): EconomicDraftBody["references"] {
  const orderNumber = present(ctx.invoice.orderNumber);
  const other =
    ctx.settings.orderNumberToOtherReference && orderNumber ? truncateText(orderNumber, 250) : undefined;
  const customerContact =
    ctx.contactNumber === undefined ? undefined : { customerContactNumber: ctx.contactNumber };
  if (other === undefined && customerContact === undefined) return undefined;
  return withoutUndefined({ other, customerContact });
}

function draftBody(ctx: DraftContext): EconomicDraftBody {
  const { invoice, settings, known } = ctx;
  const { customer } = invoice;
  const paymentTermsNumber = customer.paymentTermsNumber ?? settings.defaultPaymentTermsNumber;
  const heading = present(invoice.heading);
  const dueDate = draftDueDate(invoice, known, paymentTermsNumber);
  return withoutUndefined({
    date: invoice.date,
    dueDate,
    currency: invoice.currency.trim().toUpperCase(),
    exchangeRate: exchangeRate(invoice, settings),
    customer: { customerNumber: ctx.draftCustomerNumber },
    paymentTerms: { paymentTermsNumber },
    layout: { layoutNumber: settings.defaultLayoutNumber },
    recipient: withoutUndefined({
      name: truncateText(customer.name.trim(), 250),
      address: present(customer.address),
      zip: present(customer.zip),
      city: present(customer.city),
      country: present(customer.country),
      ean: ctx.isEan ? customer.ean?.trim() : undefined,
      nemHandelType: ctx.isEan ? ("ean" as const) : undefined,
      vatZone: { vatZoneNumber: customer.vatZone },
    }),
    references: draftReferences(ctx),
    notes: heading === undefined ? undefined : { heading: truncateText(heading, 250) },
    project: ctx.projectNumber === undefined ? undefined : { projectNumber: ctx.projectNumber },
    lines: ctx.draftLines,
  });
}

function requiredNumberId(text: string, code: PlanInputErrorCode, field: string): number {
  const value = toEconomicNumberId(text);
  if (value === undefined) throw new PlanInputError(code, field, text);
  return value;
}

// --- the plan ---

function emailStep(raw: string | undefined): Extract<PlanStep, { type: "emailPdf" }> {
  const recipient = chooseMailRecipient(raw);
  if (recipient.kind === "missing") return { type: "emailPdf" };
  if (recipient.kind === "invalid") return { type: "emailPdf", invalid: recipient.value };
  return {
    type: "emailPdf",
    to: recipient.to,
    ...(recipient.ignored.length > 0 ? { ignored: recipient.ignored } : {}),
  };
}

const DRAFT_ONLY: BookingDecision = { book: false, sendBy: "none" };

function money(value: Decimal): string {
  return toFixedString(value, ECONOMIC_PLACES);
}

function invoiceTargets(invoice: PlanInvoice): InvoiceTargets {
  const total = present(invoice.total);
  return {
    net: parseField(invoice.subtotal, "subtotal"),
    ...(total === undefined ? {} : { gross: parseField(total, "total") }),
  };
}

function amountDifference(check: AmountCheck, currency: string): AmountDifference {
  return {
    rackbeatNet: money(check.rackbeatNet),
    economicNet: money(check.economicNet),
    ...(check.rackbeatGross === undefined ? {} : { rackbeatGross: money(check.rackbeatGross) }),
    economicGross: money(check.economicGross),
    currency: currency.trim().toUpperCase(),
  };
}

/**
 * Pure: what to create, update, draft, book and send in e-conomic for one Rackbeat invoice.
 * Throws `PlanInputError` for input e-conomic would refuse whatever we did (a non-numeric customer
 * number, a product number over 25 characters, no account to create a missing group with), and
 * `AmountMismatchError` when no lines match Rackbeat's subtotal and total to the øre (unless the
 * company chose "Overfør alligevel som kladde").
 */
export function planTransfer(
  invoice: PlanInvoice,
  settings: PlanSettings,
  known: KnownMasterData,
): TransferPlan {
  if (!settings.activated) return { kind: "skip", reason: "not_activated" };
  if (!settings.debtorIntegration) return { kind: "skip", reason: "debtor_integration_off" };

  const { customer } = invoice;
  const customerNumber = requiredNumberId(customer.number, "invalid_customer_number", "customer.number");
  const projectNumber =
    invoice.project === undefined
      ? undefined
      : requiredNumberId(invoice.project.number, "invalid_project_number", "project.number");
  const draftCustomerNumber =
    settings.customerNumberField === "projectId" && projectNumber !== undefined
      ? projectNumber
      : customerNumber;
  checkProductNumbers(invoice.lines);

  const isEan = isEanNumber(customer.ean);
  const bookWithNumber = toEconomicNumberId(invoice.number);
  const lines = planLines(
    invoice.lines,
    settings.useActualQuantity,
    invoiceTargets(invoice),
    economicVatRatePercent(customer.vatZone),
  );
  const amountsDiffer = !(lines.check.netMatches && lines.check.grossMatches);
  if (amountsDiffer && !settings.transferMismatchAsDraft) {
    throw new AmountMismatchError(amountDifference(lines.check, invoice.currency));
  }
  // An invoice that does not add up is never booked: someone must look at the draft first.
  const { book, sendBy } = amountsDiffer ? DRAFT_ONLY : decideBooking(settings, isEan);

  const contactName = isEan ? eanContactName(customer) : undefined;
  const contactNumber =
    contactName === undefined
      ? undefined
      : known.customerContacts.get(customerContactKey(customerNumber, contactName));

  const draft = draftBody({
    invoice,
    settings,
    known,
    draftCustomerNumber,
    projectNumber,
    isEan,
    contactNumber,
    draftLines: lines.draftLines,
  });

  const steps: PlanStep[] = [...customerSteps(invoice, settings, known, customerNumber)];
  const pendingContact =
    contactName !== undefined && contactNumber === undefined
      ? { customerNumber, name: contactName }
      : undefined;
  if (pendingContact) steps.push({ type: "createCustomerContact", ...pendingContact });
  if (contactName !== undefined && sendBy === "ean") {
    const snapshot = known.customers.get(customerNumber);
    if (snapshot?.attentionContactNumber === undefined) {
      steps.push(
        withoutUndefined({
          type: "setCustomerAttention" as const,
          customerNumber,
          contactName,
          contactNumber,
        }),
      );
    }
  }
  steps.push(...productSteps(invoice.lines, settings, known));
  steps.push(
    pendingContact
      ? { type: "createDraft", body: draft, customerContact: pendingContact }
      : { type: "createDraft", body: draft },
  );
  if (book) {
    steps.push(
      withoutUndefined({
        type: "bookDraft" as const,
        bookWithNumber,
        sendBy: isEan ? ("ean" as const) : undefined,
      }),
    );
  }
  if (sendBy === "email") steps.push(emailStep(customer.email));

  return withoutUndefined({
    kind: "transfer" as const,
    steps,
    book,
    sendBy,
    bookWithNumber: book ? bookWithNumber : undefined,
    externalId: present(invoice.orderNumber) ?? invoice.number,
    isEan,
    expectedNetAmount: money(lines.check.economicNet),
    rackbeatNetAmount: money(lines.check.rackbeatNet),
    expectedVatAmount: money(lines.check.economicVat),
    expectedGrossAmount: money(lines.check.economicGross),
    rackbeatGrossAmount:
      lines.check.rackbeatGross === undefined ? undefined : money(lines.check.rackbeatGross),
    amountsDiffer: amountsDiffer ? (true as const) : undefined,
    lines: lines.planned,
    draft,
  });
}
