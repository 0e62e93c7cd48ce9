import {
  compare,
  type Decimal,
  decimalPlaces,
  formatDanish,
  fromMinorUnits,
  HUNDRED,
  multiply,
  negate,
  parseDecimal,
  round2,
  shiftLeft,
  sign,
  subtract,
  sum,
  toDecimalString,
  toEconomicNumber,
  toFixedString,
  toMinorUnits,
} from "@/lib/money/decimal";
import { type CustomerInvoiceSettings, vatZoneKeys, vatZoneNumbers } from "@/lib/settings/schema";
import {
  type CustomerChanges,
  type CustomerSnapshot,
  customerContactKey,
  type EconomicCustomerBody,
  type EconomicDraftBody,
  type EconomicDraftLine,
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
} from "./plan-types";

/**
 * The pure transfer plan: one Rackbeat invoice + the Kundefaktura settings + what we know exists in
 * e-conomic → the ordered steps the runner executes. No I/O here.
 *
 * Lines: e-conomic accepts only 2 decimals on quantity and unit price. We assume its line total is
 * round2(quantity × unitNetPrice × (1 − discount/100)), half away from zero like our `round2`;
 * `expectedNetAmount` is computed that way and the runner compares it with Rackbeat's subtotal.
 */

export const DESCRIPTION_MAX_LENGTH = 2500;
const ECONOMIC_PLACES = 2;

type ParsedLine = {
  source: PlanLine;
  quantity: Decimal;
  unitPrice: Decimal;
  discount?: Decimal;
  /** quantity × price × (1 − discount/100), unrounded. */
  exactNet: Decimal;
};

type DraftLineFigures = {
  source: PlanLine;
  treatment: PlannedLine["treatment"];
  quantity: Decimal;
  unitNetPrice: Decimal;
  discount?: Decimal;
  netAmount: Decimal;
  exactNet: Decimal;
  description: string;
};

export type PlannedLines = {
  draftLines: EconomicDraftLine[];
  planned: PlannedLine[];
  expectedNetAmount: Decimal;
};

function parseField(value: string, field: string): Decimal {
  try {
    return parseDecimal(value);
  } catch {
    throw new PlanInputError("invalid_decimal", field, value);
  }
}

function netAmount(quantity: Decimal, unitPrice: Decimal, discount?: Decimal): Decimal {
  const gross = multiply(quantity, unitPrice);
  if (discount === undefined) return gross;
  return shiftLeft(multiply(gross, subtract(HUNDRED, discount)), 2);
}

function parseLine(line: PlanLine, index: number): ParsedLine {
  const quantity = parseField(line.quantity, `lines[${index}].quantity`);
  const unitPrice = parseField(line.unitPrice, `lines[${index}].unitPrice`);
  const rawDiscount =
    line.discountPercentage === undefined || line.discountPercentage.trim() === ""
      ? undefined
      : parseField(line.discountPercentage, `lines[${index}].discountPercentage`);
  const discount = rawDiscount !== undefined && sign(rawDiscount) !== 0 ? rawDiscount : undefined;
  return { source: line, quantity, unitPrice, discount, exactNet: netAmount(quantity, unitPrice, discount) };
}

function fitsEconomic(value: Decimal | undefined): boolean {
  return value === undefined || decimalPlaces(value) <= ECONOMIC_PLACES;
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
  const discount = line.discount === undefined ? "" : `, rabat ${formatDanish(line.discount)} %`;
  return `${formatDanish(line.quantity)}${unit} à ${formatDanish(line.unitPrice)}${discount}`;
}

function asIs(line: ParsedLine): DraftLineFigures {
  return {
    source: line.source,
    treatment: "as_is",
    quantity: line.quantity,
    unitNetPrice: line.unitPrice,
    discount: line.discount,
    netAmount: round2(line.exactNet),
    exactNet: line.exactNet,
    description: truncateText(line.source.productName, DESCRIPTION_MAX_LENGTH),
  };
}

/** `useActualQuantity`: keep the real quantity, at e-conomic's precision. */
function rounded(line: ParsedLine): DraftLineFigures {
  const quantity = round2(line.quantity);
  const unitNetPrice = round2(line.unitPrice);
  const discount = line.discount === undefined ? undefined : round2(line.discount);
  return {
    ...asIs(line),
    treatment: "rounded",
    quantity,
    unitNetPrice,
    discount,
    netAmount: round2(netAmount(quantity, unitNetPrice, discount)),
  };
}

/**
 * Quantity 1 (−1 on credit-note lines) at the line's net amount. The discount is folded into the
 * price rather than sent as discountPercentage: letting e-conomic apply it to an already rounded
 * amount would round twice and could miss Rackbeat's line total by an øre.
 */
function collapsed(line: ParsedLine): DraftLineFigures {
  const quantity = parseDecimal(sign(line.quantity) < 0 ? -1 : 1);
  const net = round2(line.exactNet);
  return {
    source: line.source,
    treatment: "collapsed",
    quantity,
    unitNetPrice: multiply(net, quantity),
    netAmount: net,
    exactNet: line.exactNet,
    description: describeWithNote(line.source.productName, quantityNote(line)),
  };
}

function figuresFor(line: ParsedLine, useActualQuantity: boolean): DraftLineFigures {
  const fits = fitsEconomic(line.quantity) && fitsEconomic(line.unitPrice) && fitsEconomic(line.discount);
  if (fits) return asIs(line);
  return useActualQuantity ? rounded(line) : collapsed(line);
}

/**
 * Rackbeat may round its subtotal once over the exact line amounts while e-conomic rounds each
 * line. Collapsed lines carry free amounts, so they absorb that rounding difference: at most one
 * øre each, given to the lines whose own rounding moved furthest the other way. A larger gap is a
 * real disagreement and is left for the amount check to flag.
 */
function absorbRoundingDifference(lines: DraftLineFigures[], target: Decimal): DraftLineFigures[] {
  const residual = toMinorUnits(target) - toMinorUnits(sum(lines.map((line) => line.netAmount)));
  const candidates = lines.flatMap((line, index) => (line.treatment === "collapsed" ? [index] : []));
  const count = BigInt(candidates.length);
  if (residual === 0n || residual > count || -residual > count) return lines;

  const step = residual > 0n ? 1n : -1n;
  // How far a line's own rounding moved it against the direction we now correct in.
  const pull = (index: number): Decimal => {
    const line = lines[index]!;
    const leftover = subtract(line.exactNet, line.netAmount);
    return step > 0n ? leftover : negate(leftover);
  };
  const chosen = [...candidates].sort((a, b) => compare(pull(b), pull(a))).slice(0, Number(residual * step));
  return lines.map((line, index) => {
    if (!chosen.includes(index)) return line;
    const net = fromMinorUnits(toMinorUnits(line.netAmount) + step);
    return { ...line, netAmount: net, unitNetPrice: multiply(net, line.quantity) };
  });
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
    treatment: line.treatment,
    sourceQuantity: line.source.quantity,
    sourceUnitPrice: line.source.unitPrice,
    quantity: toDecimalString(line.quantity),
    unitNetPrice: toFixedString(line.unitNetPrice, ECONOMIC_PLACES),
    ...(line.discount === undefined ? {} : { discountPercentage: toDecimalString(line.discount) }),
    netAmount: toFixedString(line.netAmount, ECONOMIC_PLACES),
  };
}

export function planLines(lines: PlanLine[], useActualQuantity: boolean, subtotal: Decimal): PlannedLines {
  const figures = lines.map((line, index) => figuresFor(parseLine(line, index), useActualQuantity));
  const final = useActualQuantity ? figures : absorbRoundingDifference(figures, subtotal);
  return {
    draftLines: final.map(toDraftLine),
    planned: final.map(toPlannedLine),
    expectedNetAmount: round2(sum(final.map((l) => l.netAmount))),
  };
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
type DesiredCustomer = Omit<CustomerSnapshot, "paymentTermsNumber"> & { paymentTermsNumber?: number };

/** Synced fields as Rackbeat has them; fields Rackbeat leaves empty are absent, never cleared. */
function desiredCustomerFields(customer: PlanCustomer): DesiredCustomer {
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

function customerBody(
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
    body: {
      productNumber: line.productNumber,
      name: truncateText(line.productName.trim() || line.productNumber, 300),
      productGroup: { productGroupNumber: line.productGroupNumber },
    },
  }));
  return [...groupSteps, ...productSteps];
}

function productGroupSalesAccounts(settings: PlanSettings): SalesAccount[] {
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

/**
 * Pure: what to create, update, draft, book and send in e-conomic for one Rackbeat invoice.
 * Throws `PlanInputError` for input e-conomic would refuse whatever we did (a non-numeric customer
 * number, a product number over 25 characters, no account to create a missing group with).
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
  const { book, sendBy } = decideBooking(settings, isEan);
  const bookWithNumber = toEconomicNumberId(invoice.number);

  const contactName = isEan ? eanContactName(customer) : undefined;
  const contactNumber =
    contactName === undefined
      ? undefined
      : known.customerContacts.get(customerContactKey(customerNumber, contactName));

  const subtotal = parseField(invoice.subtotal, "subtotal");
  const lines = planLines(invoice.lines, settings.useActualQuantity, subtotal);
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
  if (sendBy === "email")
    steps.push(withoutUndefined({ type: "emailPdf" as const, to: present(customer.email) }));

  return withoutUndefined({
    kind: "transfer" as const,
    steps,
    book,
    sendBy,
    bookWithNumber: book ? bookWithNumber : undefined,
    externalId: present(invoice.orderNumber) ?? invoice.number,
    isEan,
    expectedNetAmount: toFixedString(lines.expectedNetAmount, 2),
    rackbeatNetAmount: toFixedString(subtotal, 2),
    lines: lines.planned,
    draft,
  });
}
