import type { CustomerInvoiceSettings } from "@/lib/settings/schema";

/**
 * Input and output of the pure transfer plan. The input is source-independent: the Rackbeat mapper
 * fills it from Rackbeat's API objects, tests fill it by hand. Decimals stay strings exactly as
 * received ("12.345678"), never floats.
 */

export type VatZoneNumber = 1 | 2 | 3 | 4;

export type PlanCustomer = {
  /** Rackbeat's customer number; e-conomic needs a whole number 1..999999999. */
  number: string;
  name: string;
  currency: string;
  groupNumber: number;
  groupName?: string;
  paymentTermsNumber?: number;
  vatZone: VatZoneNumber;
  ean?: string;
  cvr?: string;
  theirReference?: string;
  address?: string;
  zip?: string;
  city?: string;
  country?: string;
  email?: string;
};

export type PlanLine = {
  productNumber: string;
  /** The line's text on the invoice. */
  productName: string;
  /** The Rackbeat product's own name: what a new e-conomic product is called. */
  itemName?: string;
  /** The Rackbeat product's sales price (decimal string), for a new e-conomic product. */
  salesPrice?: string;
  productGroupNumber: number;
  productGroupName?: string;
  unit?: string;
  /** Decimal string; negative on credit notes. */
  quantity: string;
  /** Decimal string, up to 6 decimals in Rackbeat. */
  unitPrice: string;
  /** Decimal string, e.g. "10" for 10 %. */
  discountPercentage?: string;
};

export type PlanInvoice = {
  number: string;
  orderNumber?: string;
  /** YYYY-MM-DD */
  date: string;
  dueDate?: string;
  currency: string;
  /**
   * Rackbeat's `currency_rate`: the price of ONE unit of the invoice currency in the agreement's
   * base currency ("7.4605" for EUR → DKK: 1 EUR = 7.4605 DKK, so 100 EUR = 746.05 DKK).
   * e-conomic's `exchangeRate` is per 100 units, so the plan sends rate × 100.
   */
  currencyRate?: string;
  heading?: string;
  /** Rackbeat's net total (`total_subtotal`) as received. */
  subtotal: string;
  /** Rackbeat's gross total (`total_total`) as received; without it only the net is checked. */
  total?: string;
  customer: PlanCustomer;
  project?: { number: string };
  lines: PlanLine[];
};

export type PlanSettings = CustomerInvoiceSettings & {
  activated: boolean;
  defaultLayoutNumber: number;
  defaultPaymentTermsNumber: number;
  /** The e-conomic agreement's base currency; "DKK" when not given. */
  baseCurrency?: string;
};

/** The customer fields we keep in sync, as last seen in e-conomic. */
export type CustomerSnapshot = {
  name: string;
  currency: string;
  customerGroupNumber: number;
  paymentTermsNumber: number;
  vatZoneNumber: VatZoneNumber;
  ean?: string;
  corporateIdentificationNumber?: string;
  address?: string;
  zip?: string;
  city?: string;
  country?: string;
  email?: string;
  /**
   * The customer's contact person in e-conomic (`attention`); booking by EAN needs one. Not synced
   * from Rackbeat: set once, from the invoice's EAN contact, when e-conomic has none.
   */
  attentionContactNumber?: number;
};

export type KnownMasterData = {
  customerGroups: Set<number>;
  customers: Map<number, CustomerSnapshot>;
  productGroups: Set<number>;
  products: Set<string>;
  /** Key: `${customerNumber}|${contactName}` (see `customerContactKey`). */
  customerContacts: Map<string, number>;
  /**
   * Payment terms of type `dueDate`: e-conomic accepts a draft's `dueDate` only with those, so the
   * plan sends Rackbeat's due date only when the chosen terms are in this set.
   */
  dueDatePaymentTerms?: Set<number>;
  /** e-conomic's units by `unitKey(name)`, so a new product gets the unit Rackbeat names. */
  units?: Map<string, number>;
  /** Days of credit of every payment terms read from e-conomic (a due date without Rackbeat's). */
  paymentTermsDays?: Map<number, number>;
};

/** "Stk.", " stk" and "STK" name the same unit. */
export function unitKey(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

export function customerContactKey(customerNumber: number, name: string): string {
  return `${customerNumber}|${name}`;
}

// --- e-conomic request bodies (REST API; `null` is a validation error there, so fields are omitted) ---

export type EconomicCustomerBody = {
  customerNumber: number;
  name: string;
  currency: string;
  customerGroup: { customerGroupNumber: number };
  paymentTerms: { paymentTermsNumber: number };
  vatZone: { vatZoneNumber: VatZoneNumber };
  ean?: string;
  corporateIdentificationNumber?: string;
  address?: string;
  zip?: string;
  city?: string;
  country?: string;
  email?: string;
};

export type EconomicProductBody = {
  productNumber: string;
  name: string;
  productGroup: { productGroupNumber: number };
  /** At most 2 decimals, like every e-conomic amount. */
  salesPrice?: number;
  unit?: { unitNumber: number };
};

export type EconomicDraftLine = {
  lineNumber: number;
  sortKey: number;
  product: { productNumber: string };
  description: string;
  /** At most 2 decimals. */
  quantity: number;
  /** At most 2 decimals (E04740). */
  unitNetPrice: number;
  discountPercentage?: number;
};

export type EconomicDraftBody = {
  date: string;
  dueDate?: string;
  currency: string;
  /** Base-currency price of 100 units of `currency`. */
  exchangeRate?: number;
  customer: { customerNumber: number };
  paymentTerms: { paymentTermsNumber: number };
  layout: { layoutNumber: number };
  recipient: {
    name: string;
    address?: string;
    zip?: string;
    city?: string;
    country?: string;
    ean?: string;
    nemHandelType?: "ean";
    vatZone: { vatZoneNumber: VatZoneNumber };
  };
  references?: { other?: string; customerContact?: { customerContactNumber: number } };
  notes?: { heading: string };
  project?: { projectNumber: number };
  lines: EconomicDraftLine[];
};

// --- the plan ---

export type SalesAccount = { vatZoneNumber: VatZoneNumber; accountNumber: number };

export type CustomerChanges = Partial<{
  [K in keyof CustomerSnapshot]: { from: CustomerSnapshot[K] | undefined; to: CustomerSnapshot[K] };
}>;

export type PlanStep =
  | { type: "createCustomerGroup"; customerGroupNumber: number; name: string; accountNumber: number }
  | { type: "createCustomer"; body: EconomicCustomerBody }
  /** `body` holds the desired synced fields; the runner merges them into the fetched document for PUT. */
  | { type: "updateCustomer"; customerNumber: number; changes: CustomerChanges; body: EconomicCustomerBody }
  | { type: "createCustomerContact"; customerNumber: number; name: string }
  /**
   * Booking by EAN needs a contact person on the customer: the runner makes the EAN contact the
   * customer's `attention` unless e-conomic has one. `contactNumber` is absent when an earlier
   * step creates the contact.
   */
  | { type: "setCustomerAttention"; customerNumber: number; contactName: string; contactNumber?: number }
  | { type: "createProductGroup"; productGroupNumber: number; name: string; salesAccounts: SalesAccount[] }
  | { type: "createProduct"; body: EconomicProductBody }
  /**
   * When `customerContact` is set, the contact is created by an earlier step and its number is not
   * known yet: the runner puts it into `body.references.customerContact` before posting.
   */
  | {
      type: "createDraft";
      body: EconomicDraftBody;
      customerContact?: { customerNumber: number; name: string };
    }
  | { type: "bookDraft"; bookWithNumber?: number; sendBy?: "ean" }
  /**
   * `to`: the one address the mail goes to (`chooseMailRecipient`); `ignored`: the rest of a list
   * Rackbeat held; `invalid`: what Rackbeat held when no part of it is an address (the mail step
   * then fails, after booking, naming the customer's e-mail field).
   */
  | { type: "emailPdf"; to?: string; ignored?: string[]; invalid?: string };

/** How a Rackbeat line was carried over, for the preview and the review page. */
export type LineTreatment =
  /** Quantity and price already fit e-conomic's 2 decimals. */
  | "as_is"
  /**
   * `useActualQuantity`: quantity to 2 decimals, unit price chosen so e-conomic's line total is
   * exactly Rackbeat's; the original figures in the description.
   */
  | "rounded"
  /** Quantity 1 (−1) at the line's exact net amount; real quantity in the description. */
  | "collapsed";

export type PlannedLine = {
  productNumber: string;
  treatment: LineTreatment;
  sourceQuantity: string;
  sourceUnitPrice: string;
  quantity: string;
  unitNetPrice: string;
  discountPercentage?: string;
  /** What e-conomic computes for the line: round2(quantity × price × (1 − discount/100)). */
  netAmount: string;
};

export type SendBy = "ean" | "email" | "none";

export type SkipReason = "not_activated" | "debtor_integration_off";

export type TransferPlan =
  | { kind: "skip"; reason: SkipReason }
  | {
      kind: "transfer";
      steps: PlanStep[];
      book: boolean;
      sendBy: SendBy;
      bookWithNumber?: number;
      /** Order number, else invoice number: kept on the transfer row, searchable on the review page. */
      externalId: string;
      isEan: boolean;
      /** Net total e-conomic will compute from the draft lines (2 decimals). */
      expectedNetAmount: string;
      /** Rackbeat's subtotal rounded to 2 decimals, for the amount check. */
      rackbeatNetAmount: string;
      /** VAT and gross e-conomic will compute (`lib/economic/vat.ts`), 2 decimals. */
      expectedVatAmount: string;
      expectedGrossAmount: string;
      /** Rackbeat's total rounded to 2 decimals, when Rackbeat gave one. */
      rackbeatGrossAmount?: string;
      /**
       * No representation matches Rackbeat to the øre and the company chose "Overfør alligevel som
       * kladde": the invoice goes over as a draft (never booked) and is flagged.
       */
      amountsDiffer?: true;
      lines: PlannedLine[];
      draft: EconomicDraftBody;
    };

export type PlanInputErrorCode =
  | "invalid_customer_number"
  | "invalid_project_number"
  | "invalid_decimal"
  | "product_number_too_long"
  | "customer_group_account_missing"
  | "product_group_accounts_missing";

/** The figures of an invoice no e-conomic representation matches to the øre (2-decimal strings). */
export type AmountDifference = {
  rackbeatNet: string;
  economicNet: string;
  rackbeatGross?: string;
  economicGross: string;
  currency: string;
};

/**
 * No lines e-conomic accepts add up to Rackbeat's subtotal and total, and the company has not chosen
 * "Overfør alligevel som kladde": the transfer stops before anything is created in e-conomic.
 */
export class AmountMismatchError extends Error {
  constructor(readonly amounts: AmountDifference) {
    super(
      `amounts_mismatch: net ${amounts.rackbeatNet} vs ${amounts.economicNet}, gross ${amounts.rackbeatGross ?? "?"} vs ${amounts.economicGross}`,
    );
    this.name = "AmountMismatchError";
  }
}

/** Input the plan cannot turn into a valid e-conomic request; the runner records it as failed. */
export class PlanInputError extends Error {
  constructor(
    readonly code: PlanInputErrorCode,
    readonly field: string,
    readonly value?: string,
  ) {
    super(`${code}: ${field}${value === undefined ? "" : ` = "${value}"`}`);
    this.name = "PlanInputError";
  }
}
