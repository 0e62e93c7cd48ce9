import { describe, expect, it } from "vitest";
import {
  type Decimal,
  decimalPlaces,
  HUNDRED,
  multiply,
  parseDecimal,
  round2,
  shiftLeft,
  subtract,
  sum,
  toFixedString,
} from "@/lib/money/decimal";
import { type CustomerInvoiceSettings, defaultSettings } from "@/lib/settings/schema";
import { planTransfer } from "./plan";
import {
  type CustomerSnapshot,
  customerContactKey,
  type KnownMasterData,
  type PlanCustomer,
  PlanInputError,
  type PlanInvoice,
  type PlanLine,
  type PlanSettings,
  type PlanStep,
  type TransferPlan,
} from "./plan-types";
import {
  describeAmountMismatch,
  describePlan,
  type SettingHintCode,
  settingHintCodes,
  settingHints,
} from "./preview";

// --- fixtures: a domestic customer and product that e-conomic already knows ---

const EAN = "5790001234567";

const customer: PlanCustomer = {
  number: "1001",
  name: "Kaffe ApS",
  currency: "DKK",
  groupNumber: 1,
  groupName: "Danske kunder",
  paymentTermsNumber: 2,
  vatZone: 1,
  cvr: "12345678",
  address: "Vestergade 1",
  zip: "8000",
  city: "Aarhus C",
  country: "Danmark",
  email: "bogholderi@kaffe.dk",
};

const line: PlanLine = {
  productNumber: "KAF-1",
  productName: "Kaffebønner",
  productGroupNumber: 10,
  productGroupName: "Kaffe",
  unit: "kg",
  quantity: "2",
  unitPrice: "125",
};

const invoice: PlanInvoice = {
  number: "1021",
  orderNumber: "5001",
  date: "2025-03-14",
  dueDate: "2025-04-13",
  currency: "DKK",
  heading: "Faktura 1021",
  subtotal: "250.00",
  customer,
  lines: [line],
};

const settings: PlanSettings = {
  ...defaultSettings,
  activated: true,
  debtorIntegration: true,
  customerGroupAccount: 5600,
  productGroupAccounts: { domestic: 1010, eu: 1020, abroad: 1030, domesticExempt: 1040 },
  defaultLayoutNumber: 19,
  defaultPaymentTermsNumber: 1,
};

const snapshot: CustomerSnapshot = {
  name: "Kaffe ApS",
  currency: "DKK",
  customerGroupNumber: 1,
  paymentTermsNumber: 2,
  vatZoneNumber: 1,
  corporateIdentificationNumber: "12345678",
  address: "Vestergade 1",
  zip: "8000",
  city: "Aarhus C",
  country: "Danmark",
  email: "bogholderi@kaffe.dk",
};

function knownAll(overrides: Partial<KnownMasterData> = {}): KnownMasterData {
  return {
    customerGroups: new Set([1]),
    customers: new Map([[1001, snapshot]]),
    productGroups: new Set([10]),
    products: new Set(["KAF-1"]),
    customerContacts: new Map(),
    ...overrides,
  };
}

const knownNothing = (): KnownMasterData => ({
  customerGroups: new Set(),
  customers: new Map(),
  productGroups: new Set(),
  products: new Set(),
  customerContacts: new Map(),
});

type Case = {
  invoice?: Partial<PlanInvoice>;
  customer?: Partial<PlanCustomer>;
  settings?: Partial<PlanSettings>;
  known?: KnownMasterData;
};

function plan(c: Case = {}): TransferPlan {
  return planTransfer(
    { ...invoice, ...c.invoice, customer: { ...customer, ...c.invoice?.customer, ...c.customer } },
    { ...settings, ...c.settings },
    c.known ?? knownAll(),
  );
}

type Transfer = Extract<TransferPlan, { kind: "transfer" }>;

function transfer(c: Case = {}): Transfer {
  const result = plan(c);
  if (result.kind !== "transfer") throw new Error(`expected a transfer, got skip: ${result.reason}`);
  return result;
}

function stepTypes(p: Transfer): PlanStep["type"][] {
  return p.steps.map((s) => s.type);
}

function step<T extends PlanStep["type"]>(p: Transfer, type: T): Extract<PlanStep, { type: T }> {
  const found = p.steps.find((s): s is Extract<PlanStep, { type: T }> => s.type === type);
  if (!found) throw new Error(`no ${type} step in ${stepTypes(p).join(", ")}`);
  return found;
}

/** Rackbeat's exact line amount: quantity × price × (1 − discount/100), unrounded. */
function exactNet(
  quantity: string | number,
  unitPrice: string | number,
  discount: string | number = 0,
): Decimal {
  const gross = multiply(parseDecimal(quantity), parseDecimal(unitPrice));
  return shiftLeft(multiply(gross, subtract(HUNDRED, parseDecimal(discount))), 2);
}

/** A one-line invoice whose Rackbeat subtotal is the exact line amount, rounded once. */
function oneLine(quantity: string, unitPrice: string, extra: Partial<PlanLine> = {}): Partial<PlanInvoice> {
  const subtotal = toFixedString(exactNet(quantity, unitPrice, extra.discountPercentage), 2);
  return { lines: [{ ...line, quantity, unitPrice, ...extra }], subtotal };
}

// --- 1. skip ---

describe("skip rules", () => {
  it.each([
    { activated: false, debtorIntegration: true, expected: { kind: "skip", reason: "not_activated" } },
    { activated: false, debtorIntegration: false, expected: { kind: "skip", reason: "not_activated" } },
    {
      activated: true,
      debtorIntegration: false,
      expected: { kind: "skip", reason: "debtor_integration_off" },
    },
  ])("activated=$activated debtorIntegration=$debtorIntegration → $expected.reason", (row) => {
    expect(
      plan({ settings: { activated: row.activated, debtorIntegration: row.debtorIntegration } }),
    ).toEqual(row.expected);
  });

  it("transfers when activated and debtor integration is on", () => {
    expect(plan().kind).toBe("transfer");
  });
});

// --- 2. master data: create only what e-conomic lacks ---

describe("master data steps", () => {
  it.each<{ name: string; known: KnownMasterData; steps: PlanStep["type"][] }>([
    { name: "everything known", known: knownAll(), steps: ["createDraft"] },
    {
      name: "new customer group",
      known: knownAll({ customerGroups: new Set() }),
      steps: ["createCustomerGroup", "createDraft"],
    },
    {
      name: "new customer",
      known: knownAll({ customers: new Map() }),
      steps: ["createCustomer", "createDraft"],
    },
    {
      name: "new product group",
      known: knownAll({ productGroups: new Set() }),
      steps: ["createProductGroup", "createDraft"],
    },
    {
      name: "new product",
      known: knownAll({ products: new Set() }),
      steps: ["createProduct", "createDraft"],
    },
    {
      name: "nothing known",
      known: knownNothing(),
      steps: ["createCustomerGroup", "createCustomer", "createProductGroup", "createProduct", "createDraft"],
    },
  ])("$name → $steps", ({ known, steps }) => {
    expect(stepTypes(transfer({ known }))).toEqual(steps);
  });

  it("creates the customer group with the chosen account", () => {
    expect(step(transfer({ known: knownNothing() }), "createCustomerGroup")).toEqual({
      type: "createCustomerGroup",
      customerGroupNumber: 1,
      name: "Danske kunder",
      accountNumber: 5600,
    });
  });

  it("creates the customer with all synced fields", () => {
    expect(step(transfer({ known: knownNothing() }), "createCustomer").body).toEqual({
      customerNumber: 1001,
      name: "Kaffe ApS",
      currency: "DKK",
      customerGroup: { customerGroupNumber: 1 },
      paymentTerms: { paymentTermsNumber: 2 },
      vatZone: { vatZoneNumber: 1 },
      corporateIdentificationNumber: "12345678",
      address: "Vestergade 1",
      zip: "8000",
      city: "Aarhus C",
      country: "Danmark",
      email: "bogholderi@kaffe.dk",
    });
  });

  it("creates a product group with one revenue account per VAT zone, skipping unset zones", () => {
    const p = transfer({
      known: knownNothing(),
      settings: { productGroupAccounts: { domestic: 1010, eu: null, abroad: 1030, domesticExempt: null } },
    });
    expect(step(p, "createProductGroup")).toEqual({
      type: "createProductGroup",
      productGroupNumber: 10,
      name: "Kaffe",
      salesAccounts: [
        { vatZoneNumber: 1, accountNumber: 1010 },
        { vatZoneNumber: 3, accountNumber: 1030 },
      ],
    });
    expect(step(p, "createProduct").body).toEqual({
      productNumber: "KAF-1",
      name: "Kaffebønner",
      productGroup: { productGroupNumber: 10 },
    });
  });

  it("creates each missing product and group once, however many lines use them", () => {
    const lines = [line, { ...line, quantity: "1" }, { ...line, productNumber: "KAF-2", quantity: "1" }];
    const p = transfer({ invoice: { lines, subtotal: "500" }, known: knownNothing() });
    expect(stepTypes(p).filter((t) => t === "createProductGroup")).toHaveLength(1);
    expect(p.steps.filter((s) => s.type === "createProduct").map((s) => s.body.productNumber)).toEqual([
      "KAF-1",
      "KAF-2",
    ]);
  });

  it("creates a product with the Rackbeat product's name, sales price, unit and group, not the line text", () => {
    const lines = [
      {
        ...line,
        productName: "Linje",
        itemName: "Økologiske kaffebønner",
        salesPrice: "125.005",
        unit: "Kg",
      },
      { ...line, productNumber: "KAF-2", itemName: "Te", unit: "liter" },
    ];
    const p = transfer({
      invoice: { lines, subtotal: "500" },
      known: { ...knownAll({ products: new Set() }), units: new Map([["kg", 2]]) },
    });
    expect(p.steps.filter((s) => s.type === "createProduct").map((s) => s.body)).toEqual([
      {
        productNumber: "KAF-1",
        name: "Økologiske kaffebønner",
        productGroup: { productGroupNumber: 10 },
        salesPrice: 125.01,
        unit: { unitNumber: 2 },
      },
      // A unit e-conomic does not have is left out rather than invented.
      { productNumber: "KAF-2", name: "Te", productGroup: { productGroupNumber: 10 } },
    ]);
    expect(p.draft.lines[0]?.description).toBe("Linje");
  });

  it.each<{ name: string; customer: Partial<PlanCustomer>; changes: object }>([
    { name: "same fields", customer: {}, changes: {} },
    {
      name: "new e-mail",
      customer: { email: "ny@kaffe.dk" },
      changes: { email: { from: "bogholderi@kaffe.dk", to: "ny@kaffe.dk" } },
    },
    {
      name: "renamed",
      customer: { name: "Kaffe A/S" },
      changes: { name: { from: "Kaffe ApS", to: "Kaffe A/S" } },
    },
    { name: "moved to EU", customer: { vatZone: 2 }, changes: { vatZoneNumber: { from: 1, to: 2 } } },
    { name: "new EAN", customer: { ean: EAN }, changes: { ean: { from: undefined, to: EAN } } },
    { name: "e-mail removed in Rackbeat is not cleared", customer: { email: undefined }, changes: {} },
    { name: "whitespace only differences", customer: { city: " Aarhus C " }, changes: {} },
  ])("existing customer, $name", ({ customer: changed, changes }) => {
    const p = transfer({ customer: changed });
    if (Object.keys(changes).length === 0) {
      expect(stepTypes(p)).not.toContain("updateCustomer");
      return;
    }
    const update = step(p, "updateCustomer");
    expect(update.customerNumber).toBe(1001);
    expect(update.changes).toEqual(changes);
    expect(update.body.customerNumber).toBe(1001);
  });

  it.each([
    ["customer number not a number", { customer: { number: "K-1001" } }, "invalid_customer_number"],
    ["customer number too long", { customer: { number: "1234567890" } }, "invalid_customer_number"],
    [
      "product number over 25 characters",
      { invoice: { lines: [{ ...line, productNumber: "X".repeat(26) }] } },
      "product_number_too_long",
    ],
    [
      "no account for a missing customer group",
      { settings: { customerGroupAccount: null }, known: knownAll({ customerGroups: new Set() }) },
      "customer_group_account_missing",
    ],
    [
      "no accounts for a missing product group",
      {
        settings: { productGroupAccounts: { domestic: null, eu: null, abroad: null, domesticExempt: null } },
        known: knownAll({ productGroups: new Set() }),
      },
      "product_group_accounts_missing",
    ],
    [
      "no domestic account for a missing product group (the Products API needs domesticAccountId)",
      {
        settings: { productGroupAccounts: { domestic: null, eu: 1025, abroad: 1020, domesticExempt: null } },
        known: knownAll({ productGroups: new Set() }),
      },
      "product_group_accounts_missing",
    ],
    ["unparseable quantity", { invoice: { lines: [{ ...line, quantity: "2,5" }] } }, "invalid_decimal"],
    ["project number not a number", { invoice: { project: { number: "P-7" } } }, "invalid_project_number"],
  ] as [string, Case, string][])("refuses input e-conomic would reject: %s", (_name, c, code) => {
    expect(() => plan(c)).toThrow(PlanInputError);
    expect(() => plan(c)).toThrow(expect.objectContaining({ code }));
  });

  it("needs no accounts when groups already exist", () => {
    const p = transfer({
      settings: {
        customerGroupAccount: null,
        productGroupAccounts: { domestic: null, eu: null, abroad: null, domesticExempt: null },
      },
    });
    expect(stepTypes(p)).toEqual(["createDraft"]);
  });
});

// --- 3. booking and sending ---

describe("booking decision table", () => {
  // bookAndSend | bookWhenBooked | EAN customer | neverBookEan → book, sendBy, tail steps
  it.each([
    [false, false, false, false, false, "none", ["createDraft"]],
    [false, false, false, true, false, "none", ["createDraft"]],
    [false, false, true, false, false, "none", ["createDraft"]],
    [false, false, true, true, false, "none", ["createDraft"]],
    [false, true, false, false, true, "none", ["createDraft", "bookDraft"]],
    [false, true, false, true, true, "none", ["createDraft", "bookDraft"]],
    [false, true, true, false, true, "ean", ["createDraft", "bookDraft"]],
    [false, true, true, true, false, "none", ["createDraft"]],
    [true, false, false, false, true, "email", ["createDraft", "bookDraft", "emailPdf"]],
    [true, false, false, true, true, "email", ["createDraft", "bookDraft", "emailPdf"]],
    [true, false, true, false, true, "ean", ["createDraft", "bookDraft"]],
    [true, false, true, true, false, "none", ["createDraft"]],
    [true, true, false, false, true, "email", ["createDraft", "bookDraft", "emailPdf"]],
    [true, true, false, true, true, "email", ["createDraft", "bookDraft", "emailPdf"]],
    [true, true, true, false, true, "ean", ["createDraft", "bookDraft"]],
    [true, true, true, true, false, "none", ["createDraft"]],
  ] as const)(
    "bookAndSend=%s bookWhenBooked=%s ean=%s neverBookEan=%s → book=%s sendBy=%s",
    (bookAndSend, bookWhenBooked, ean, neverBookEan, book, sendBy, steps) => {
      const contact = ean
        ? { customerContacts: new Map([[customerContactKey(1001, "Mette Hansen"), 3]]) }
        : {};
      const p = transfer({
        settings: {
          bookAndSendFromEconomic: bookAndSend,
          bookWhenBookedInRackbeat: bookWhenBooked,
          neverBookEanInvoices: neverBookEan,
        },
        customer: ean ? { ean: EAN, theirReference: "Mette Hansen" } : {},
        known: knownAll({
          customers: new Map([
            [1001, { ...snapshot, ...(ean ? { ean: EAN, attentionContactNumber: 3 } : {}) }],
          ]),
          ...contact,
        }),
      });
      expect({ book: p.book, sendBy: p.sendBy, steps: stepTypes(p) }).toEqual({ book, sendBy, steps });
      if (book)
        expect(step(p, "bookDraft")).toEqual({
          type: "bookDraft",
          bookWithNumber: 1021,
          ...(ean ? { sendBy: "ean" } : {}),
        });
    },
  );

  it("e-mails the booked PDF to the customer's address", () => {
    expect(step(transfer({ settings: { bookAndSendFromEconomic: true } }), "emailPdf")).toEqual({
      type: "emailPdf",
      to: "bogholderi@kaffe.dk",
    });
  });

  it("mails only the first valid address of a list, and says the rest are ignored", () => {
    const p = transfer({
      settings: { bookAndSendFromEconomic: true },
      customer: { email: "x@a.dk, y@b.dk" },
    });
    expect(step(p, "emailPdf")).toEqual({ type: "emailPdf", to: "x@a.dk", ignored: ["y@b.dk"] });
    expect(describePlan(p, "da")[1]).toBe(
      "PDF fra e-conomic sendes pr. e-mail til x@a.dk. Kun den første adresse bruges; ignoreret: y@b.dk.",
    );
  });

  it("books, then fails the mail step, when the customer's e-mail is not an address", () => {
    const p = transfer({ settings: { bookAndSendFromEconomic: true }, customer: { email: "kontoret" } });
    expect(stepTypes(p).slice(-3)).toEqual(["createDraft", "bookDraft", "emailPdf"]);
    expect(step(p, "emailPdf")).toEqual({ type: "emailPdf", invalid: "kontoret" });
  });

  it.each([
    ["a 13-digit EAN", EAN, true],
    ["12 digits", "579000123456", false],
    ["14 digits", "57900012345678", false],
    ["letters", "57900012345AB", false],
    ["padded with spaces", ` ${EAN} `, true],
    ["none", undefined, false],
  ])("EAN customer when %s", (_name, ean, isEan) => {
    const p = transfer({ customer: { ean }, settings: { bookWhenBookedInRackbeat: true } });
    expect(p.isEan).toBe(isEan);
    expect(p.sendBy).toBe(isEan ? "ean" : "none");
  });

  it.each([
    ["1021", 1021],
    ["999999999", 999999999],
    ["1", 1],
    ["F-1021", undefined],
    ["1021a", undefined],
    ["0042", undefined],
    ["12.5", undefined],
    ["0", undefined],
    ["1000000000", undefined],
  ])("bookWithNumber for invoice number %j → %s", (number, expected) => {
    const p = transfer({ invoice: { number }, settings: { bookWhenBookedInRackbeat: true } });
    expect(p.bookWithNumber).toBe(expected);
    expect(step(p, "bookDraft").bookWithNumber).toBe(expected);
  });

  it("has no bookWithNumber for a draft", () => {
    expect(transfer().bookWithNumber).toBeUndefined();
  });
});

// --- 4. EAN recipient and contact ---

describe("EAN customers", () => {
  const ean = { customer: { ean: EAN, theirReference: "Mette Hansen" } } satisfies Case;

  it("addresses the recipient through NemHandel", () => {
    expect(transfer(ean).draft.recipient).toEqual({
      name: "Kaffe ApS",
      address: "Vestergade 1",
      zip: "8000",
      city: "Aarhus C",
      country: "Danmark",
      ean: EAN,
      nemHandelType: "ean",
      vatZone: { vatZoneNumber: 1 },
    });
  });

  it("creates their reference as a contact and lets the runner put it on the draft", () => {
    const p = transfer(ean);
    expect(step(p, "createCustomerContact")).toEqual({
      type: "createCustomerContact",
      customerNumber: 1001,
      name: "Mette Hansen",
    });
    expect(step(p, "createDraft").customerContact).toEqual({ customerNumber: 1001, name: "Mette Hansen" });
    expect(stepTypes(p).indexOf("createCustomerContact")).toBeLessThan(stepTypes(p).indexOf("createDraft"));
  });

  it("uses a known contact directly", () => {
    const p = transfer({
      ...ean,
      known: knownAll({ customerContacts: new Map([[customerContactKey(1001, "Mette Hansen"), 7]]) }),
    });
    expect(stepTypes(p)).not.toContain("createCustomerContact");
    expect(p.draft.references?.customerContact).toEqual({ customerContactNumber: 7 });
  });

  it("falls back to the customer's name when Rackbeat has no reference", () => {
    expect(step(transfer({ customer: { ean: EAN } }), "createCustomerContact").name).toBe("Kaffe ApS");
  });

  it("adds no contact and no NemHandel fields for other customers", () => {
    const p = transfer({ customer: { theirReference: "Mette Hansen" } });
    expect(stepTypes(p)).toEqual(["createDraft"]);
    expect(p.draft.recipient).not.toHaveProperty("ean");
    expect(p.draft.recipient).not.toHaveProperty("nemHandelType");
  });

  it("orders all steps for a brand-new EAN customer that is booked", () => {
    const p = transfer({ ...ean, known: knownNothing(), settings: { bookWhenBookedInRackbeat: true } });
    expect(stepTypes(p)).toEqual([
      "createCustomerGroup",
      "createCustomer",
      "createCustomerContact",
      "setCustomerAttention",
      "createProductGroup",
      "createProduct",
      "createDraft",
      "bookDraft",
    ]);
    expect(step(p, "setCustomerAttention")).toEqual({
      type: "setCustomerAttention",
      customerNumber: 1001,
      contactName: "Mette Hansen",
    });
  });

  it("makes a known contact the customer's attention when e-conomic has none, for EAN booking only", () => {
    const contacts = new Map([[customerContactKey(1001, "Mette Hansen"), 7]]);
    const booked = transfer({
      ...ean,
      settings: { bookWhenBookedInRackbeat: true },
      known: knownAll({ customerContacts: contacts }),
    });
    expect(step(booked, "setCustomerAttention")).toEqual({
      type: "setCustomerAttention",
      customerNumber: 1001,
      contactName: "Mette Hansen",
      contactNumber: 7,
    });
    const withAttention = transfer({
      ...ean,
      settings: { bookWhenBookedInRackbeat: true },
      known: knownAll({
        customerContacts: contacts,
        customers: new Map([[1001, { ...snapshot, ean: EAN, attentionContactNumber: 2 }]]),
      }),
    });
    expect(stepTypes(withAttention)).not.toContain("setCustomerAttention");
    expect(stepTypes(transfer({ ...ean, known: knownAll({ customerContacts: contacts }) }))).not.toContain(
      "setCustomerAttention",
    );
  });
});

// --- 5. references, customer number, project ---

describe("references and external ID", () => {
  it.each([
    { setting: true, orderNumber: "5001", other: "5001", externalId: "5001" },
    { setting: false, orderNumber: "5001", other: undefined, externalId: "5001" },
    { setting: true, orderNumber: undefined, other: undefined, externalId: "1021" },
    { setting: false, orderNumber: undefined, other: undefined, externalId: "1021" },
    {
      setting: true,
      orderNumber: "O".repeat(300),
      other: `${"O".repeat(249)}…`,
      externalId: "O".repeat(300),
    },
  ])("orderNumberToOtherReference=$setting, order $orderNumber → other $other", (row) => {
    const p = transfer({
      settings: { orderNumberToOtherReference: row.setting },
      invoice: { orderNumber: row.orderNumber },
    });
    expect(p.draft.references?.other).toBe(row.other);
    expect(p.externalId).toBe(row.externalId);
    if (row.other) expect(Array.from(row.other).length).toBeLessThanOrEqual(250);
  });
});

describe("customer number field", () => {
  it.each([
    { field: "customerNumber", project: undefined, customerNumber: 1001, project_: undefined },
    { field: "customerNumber", project: "42", customerNumber: 1001, project_: { projectNumber: 42 } },
    { field: "projectId", project: undefined, customerNumber: 1001, project_: undefined },
    { field: "projectId", project: "42", customerNumber: 42, project_: { projectNumber: 42 } },
  ] as const)("$field with project $project → customer $customerNumber", (row) => {
    const p = transfer({
      settings: { customerNumberField: row.field },
      invoice: { project: row.project ? { number: row.project } : undefined },
      known: knownAll({ customers: new Map() }),
    });
    expect(p.draft.customer).toEqual({ customerNumber: row.customerNumber });
    expect(p.draft.project).toEqual(row.project_);
    // The Rackbeat customer is still the one kept in sync.
    expect(step(p, "createCustomer").body.customerNumber).toBe(1001);
  });
});

// --- 6. draft header ---

describe("draft header", () => {
  it("carries date, currency, terms, layout and heading", () => {
    const { draft } = transfer();
    expect(draft).toMatchObject({
      date: "2025-03-14",
      currency: "DKK",
      customer: { customerNumber: 1001 },
      paymentTerms: { paymentTermsNumber: 2 },
      layout: { layoutNumber: 19 },
      notes: { heading: "Faktura 1021" },
    });
    expect(draft).not.toHaveProperty("exchangeRate");
    expect(draft).not.toHaveProperty("dueDate");
    expect(draft).not.toHaveProperty("references");
    expect(JSON.stringify(draft)).not.toContain("null");
  });

  it("uses the default payment terms when the customer has none", () => {
    expect(transfer({ customer: { paymentTermsNumber: undefined } }).draft.paymentTerms).toEqual({
      paymentTermsNumber: 1,
    });
  });

  it("sends the due date only with due-date payment terms", () => {
    const p = transfer({ known: knownAll({ dueDatePaymentTerms: new Set([2]) }) });
    expect(p.draft.dueDate).toBe("2025-04-13");
    const other = transfer({ known: knownAll({ dueDatePaymentTerms: new Set([4]) }) });
    expect(other.draft).not.toHaveProperty("dueDate");
  });

  it.each([
    ["the terms' days of credit", 10, "2025-03-24"],
    ["the invoice date with no days of credit", 0, "2025-03-14"],
    ["across a month end", 20, "2025-04-03"],
  ])("without Rackbeat's due date, computes it from %s", (_name, days, expected) => {
    const p = transfer({
      invoice: { dueDate: undefined },
      known: knownAll({ dueDatePaymentTerms: new Set([2]), paymentTermsDays: new Map([[2, days]]) }),
    });
    expect(p.draft.dueDate).toBe(expected);
  });

  it("truncates a long heading to 250 characters", () => {
    const heading = transfer({ invoice: { heading: "H".repeat(400) } }).draft.notes?.heading ?? "";
    expect(Array.from(heading)).toHaveLength(250);
  });

  it.each([
    { currency: "EUR", rate: "7.4605", exchangeRate: 746.05 },
    { currency: "SEK", rate: "0.6523125", exchangeRate: 65.23125 },
    { currency: "USD", rate: "6.8912345678", exchangeRate: 689.123457 },
    { currency: "EUR", rate: undefined, exchangeRate: undefined },
    { currency: "DKK", rate: "1", exchangeRate: undefined },
  ])("$currency at $rate → exchangeRate $exchangeRate (per 100 units)", (row) => {
    const p = transfer({ invoice: { currency: row.currency, currencyRate: row.rate } });
    expect(p.draft.currency).toBe(row.currency);
    expect(p.draft.exchangeRate).toBe(row.exchangeRate);
  });
});

// --- 7. quantities ---

type QuantityRow = {
  useActualQuantity: boolean;
  quantity: string;
  unitPrice: string;
  discount?: string;
  treatment: "as_is" | "rounded" | "collapsed";
  sentQuantity: number;
  sentPrice: number;
  sentDiscount?: number;
  net: string;
  description: string;
};

const quantityTable: QuantityRow[] = [
  // off (default): fits as-is, or quantity ±1 at the exact net amount
  {
    useActualQuantity: false,
    quantity: "2",
    unitPrice: "125.50",
    treatment: "as_is",
    sentQuantity: 2,
    sentPrice: 125.5,
    net: "251.00",
    description: "Kaffebønner",
  },
  {
    useActualQuantity: false,
    quantity: "2.5",
    unitPrice: "10.50",
    treatment: "as_is",
    sentQuantity: 2.5,
    sentPrice: 10.5,
    net: "26.25",
    description: "Kaffebønner",
  },
  {
    useActualQuantity: false,
    quantity: "2",
    unitPrice: "19.995",
    treatment: "collapsed",
    sentQuantity: 1,
    sentPrice: 39.99,
    net: "39.99",
    description: "Kaffebønner (2 kg à 19,995)",
  },
  {
    useActualQuantity: false,
    quantity: "2.5",
    unitPrice: "12.345",
    treatment: "collapsed",
    sentQuantity: 1,
    sentPrice: 30.86,
    net: "30.86",
    description: "Kaffebønner (2,5 kg à 12,345)",
  },
  {
    useActualQuantity: false,
    quantity: "1.333",
    unitPrice: "12.345678",
    treatment: "collapsed",
    sentQuantity: 1,
    sentPrice: 16.46,
    net: "16.46",
    description: "Kaffebønner (1,333 kg à 12,345678)",
  },
  {
    useActualQuantity: false,
    quantity: "0.125",
    unitPrice: "99.9999",
    treatment: "collapsed",
    sentQuantity: 1,
    sentPrice: 12.5,
    net: "12.50",
    description: "Kaffebønner (0,125 kg à 99,9999)",
  },
  {
    useActualQuantity: false,
    quantity: "0.125",
    unitPrice: "48.00",
    treatment: "collapsed",
    sentQuantity: 1,
    sentPrice: 6,
    net: "6.00",
    description: "Kaffebønner (0,125 kg à 48)",
  },
  // off, credit notes: quantity −1
  {
    useActualQuantity: false,
    quantity: "-2",
    unitPrice: "125",
    treatment: "as_is",
    sentQuantity: -2,
    sentPrice: 125,
    net: "-250.00",
    description: "Kaffebønner",
  },
  {
    useActualQuantity: false,
    quantity: "-1.333",
    unitPrice: "12.345678",
    treatment: "collapsed",
    sentQuantity: -1,
    sentPrice: 16.46,
    net: "-16.46",
    description: "Kaffebønner (-1,333 kg à 12,345678)",
  },
  {
    useActualQuantity: false,
    quantity: "-0.125",
    unitPrice: "0.004",
    treatment: "collapsed",
    sentQuantity: -1,
    sentPrice: 0,
    net: "0.00",
    description: "Kaffebønner (-0,125 kg à 0,004)",
  },
  // off, discounts: kept as discountPercentage when the line fits, folded into the price when collapsed
  {
    useActualQuantity: false,
    quantity: "2",
    unitPrice: "125",
    discount: "10",
    treatment: "as_is",
    sentQuantity: 2,
    sentPrice: 125,
    sentDiscount: 10,
    net: "225.00",
    description: "Kaffebønner",
  },
  {
    useActualQuantity: false,
    quantity: "2.5",
    unitPrice: "10",
    discount: "12.5",
    treatment: "as_is",
    sentQuantity: 2.5,
    sentPrice: 10,
    sentDiscount: 12.5,
    net: "21.88",
    description: "Kaffebønner",
  },
  {
    useActualQuantity: false,
    quantity: "1.333",
    unitPrice: "12.345678",
    discount: "12.5",
    treatment: "collapsed",
    sentQuantity: 1,
    sentPrice: 14.4,
    net: "14.40",
    description: "Kaffebønner (1,333 kg à 12,345678, rabat 12,5 %)",
  },
  {
    useActualQuantity: false,
    quantity: "2",
    unitPrice: "100",
    discount: "12.345",
    treatment: "collapsed",
    sentQuantity: 1,
    sentPrice: 175.31,
    net: "175.31",
    description: "Kaffebønner (2 kg à 100, rabat 12,345 %)",
  },
  {
    useActualQuantity: false,
    quantity: "-1.333",
    unitPrice: "12.345678",
    discount: "12.5",
    treatment: "collapsed",
    sentQuantity: -1,
    sentPrice: 14.4,
    net: "-14.40",
    description: "Kaffebønner (-1,333 kg à 12,345678, rabat 12,5 %)",
  },
  // on: the quantity kept (to 2 decimals) with the unit price that makes the line total exact;
  // collapsed only where no 2-decimal price does (2 × p is always an even number of øre)
  {
    useActualQuantity: true,
    quantity: "2",
    unitPrice: "125.50",
    treatment: "as_is",
    sentQuantity: 2,
    sentPrice: 125.5,
    net: "251.00",
    description: "Kaffebønner",
  },
  {
    useActualQuantity: true,
    quantity: "2",
    unitPrice: "19.995",
    treatment: "collapsed",
    sentQuantity: 1,
    sentPrice: 39.99,
    net: "39.99",
    description: "Kaffebønner (2 kg à 19,995)",
  },
  {
    useActualQuantity: true,
    quantity: "2.5",
    unitPrice: "12.345",
    treatment: "collapsed",
    sentQuantity: 1,
    sentPrice: 30.86,
    net: "30.86",
    description: "Kaffebønner (2,5 kg à 12,345)",
  },
  {
    useActualQuantity: true,
    quantity: "1.333",
    unitPrice: "212.50",
    treatment: "rounded",
    sentQuantity: 1.33,
    sentPrice: 212.98,
    net: "283.26",
    description: "Kaffebønner (1,333 kg à 212,5)",
  },
  {
    useActualQuantity: true,
    quantity: "1.333",
    unitPrice: "12.345678",
    treatment: "collapsed",
    sentQuantity: 1,
    sentPrice: 16.46,
    net: "16.46",
    description: "Kaffebønner (1,333 kg à 12,345678)",
  },
  {
    useActualQuantity: true,
    quantity: "0.125",
    unitPrice: "99.9999",
    treatment: "rounded",
    sentQuantity: 0.13,
    sentPrice: 96.15,
    net: "12.50",
    description: "Kaffebønner (0,125 kg à 99,9999)",
  },
  {
    useActualQuantity: true,
    quantity: "-1.333",
    unitPrice: "212.50",
    treatment: "rounded",
    sentQuantity: -1.33,
    sentPrice: 212.98,
    net: "-283.26",
    description: "Kaffebønner (-1,333 kg à 212,5)",
  },
  {
    useActualQuantity: true,
    quantity: "1.333",
    unitPrice: "12.345678",
    discount: "12.5",
    treatment: "rounded",
    sentQuantity: 1.33,
    sentPrice: 12.37,
    sentDiscount: 12.5,
    net: "14.40",
    description: "Kaffebønner (1,333 kg à 12,345678, rabat 12,5 %)",
  },
];

function decimalsOf(n: number): number {
  return decimalPlaces(parseDecimal(n));
}

describe("quantities decision table", () => {
  it.each(quantityTable)(
    "useActualQuantity=$useActualQuantity: $quantity × $unitPrice (disc $discount) → $treatment, $sentQuantity × $sentPrice = $net",
    (row) => {
      const p = transfer({
        settings: { useActualQuantity: row.useActualQuantity },
        invoice: oneLine(
          row.quantity,
          row.unitPrice,
          row.discount ? { discountPercentage: row.discount } : {},
        ),
      });
      const [draftLine] = p.draft.lines;
      expect(draftLine).toEqual({
        lineNumber: 1,
        sortKey: 1,
        product: { productNumber: "KAF-1" },
        description: row.description,
        quantity: row.sentQuantity,
        unitNetPrice: row.sentPrice,
        ...(row.sentDiscount === undefined ? {} : { discountPercentage: row.sentDiscount }),
      });
      expect(decimalsOf(draftLine!.quantity)).toBeLessThanOrEqual(2);
      expect(decimalsOf(draftLine!.unitNetPrice)).toBeLessThanOrEqual(2);
      expect(p.lines[0]?.treatment).toBe(row.treatment);
      expect(p.expectedNetAmount).toBe(row.net);
      expect(p.expectedNetAmount).toBe(p.rackbeatNetAmount);
    },
  );

  /** e-conomic's net total, recomputed from the JSON draft the way e-conomic does it. */
  function economicNetTotal(p: Transfer): string {
    const totals = p.draft.lines.map((l) =>
      round2(exactNet(l.quantity, l.unitNetPrice, l.discountPercentage)),
    );
    return toFixedString(sum(totals), 2);
  }

  it("matches Rackbeat's subtotal to the øre on a mixed invoice (off)", () => {
    const lines: PlanLine[] = [
      { ...line, quantity: "2", unitPrice: "125" },
      { ...line, quantity: "2.5", unitPrice: "12.345" },
      { ...line, quantity: "1.333", unitPrice: "12.345678", discountPercentage: "12.5" },
      { ...line, quantity: "0.125", unitPrice: "99.9999" },
      { ...line, quantity: "-1.333", unitPrice: "12.345678" },
    ];
    // Rackbeat rounds each line: 250.00 + 30.86 + 14.40 + 12.50 − 16.46
    const p = transfer({ invoice: { lines, subtotal: "291.30" } });
    expect(p.expectedNetAmount).toBe("291.30");
    expect(economicNetTotal(p)).toBe("291.30");
    for (const l of p.draft.lines) {
      expect(decimalsOf(l.quantity)).toBeLessThanOrEqual(2);
      expect(decimalsOf(l.unitNetPrice)).toBeLessThanOrEqual(2);
    }
  });

  it("absorbs a subtotal Rackbeat rounded once over the exact line amounts", () => {
    const lines = [1, 2, 3].map(() => ({ ...line, quantity: "1.005", unitPrice: "1" }));
    // Exact total 3.015 → 3.02, while each line alone rounds to 1.01 (3.03).
    const p = transfer({ invoice: { lines, subtotal: "3.015" } });
    expect(p.expectedNetAmount).toBe("3.02");
    expect(economicNetTotal(p)).toBe("3.02");
    expect(p.draft.lines.map((l) => l.unitNetPrice)).toEqual([1, 1.01, 1.01]);
  });

  it("collapses as few lines as needed when quantity × price needs more decimals (issue 12)", () => {
    // Two lines of 0.5 × 12.45 = 6.225 each: e-conomic would book 6.23 + 6.23 = 12.46; Rackbeat 12.45.
    const lines = [1, 2].map(() => ({ ...line, quantity: "0.5", unitPrice: "12.45" }));
    const p = transfer({ invoice: { lines, subtotal: "12.45", total: "15.56" } });
    expect(p.lines.map((l) => l.treatment)).toEqual(["collapsed", "as_is"]);
    expect(p.draft.lines.map((l) => [l.quantity, l.unitNetPrice])).toEqual([
      [1, 6.22],
      [0.5, 12.45],
    ]);
    expect(p.draft.lines[0]?.description).toBe("Kaffebønner (0,5 kg à 12,45)");
    expect(economicNetTotal(p)).toBe("12.45");
    expect([p.expectedNetAmount, p.expectedVatAmount, p.expectedGrossAmount]).toEqual([
      "12.45",
      "3.11",
      "15.56",
    ]);
    expect(p.amountsDiffer).toBeUndefined();
  });

  it("keeps the quantity with a price that makes the line exact (Brug faktisk antal, issue 12)", () => {
    const p = transfer({
      settings: { useActualQuantity: true },
      invoice: { ...oneLine("1.333", "212.50"), total: "354.08" },
    });
    expect(p.draft.lines[0]).toMatchObject({ quantity: 1.33, unitNetPrice: 212.98 });
    expect([p.expectedNetAmount, p.expectedGrossAmount]).toEqual(["283.26", "354.08"]);
  });

  it("stops before drafting when no lines can match Rackbeat's subtotal, naming the amounts", () => {
    const lines = [{ ...line, quantity: "1.005", unitPrice: "1" }];
    expect(() => transfer({ invoice: { lines, subtotal: "5.00", total: "6.25" } })).toThrow(
      expect.objectContaining({
        name: "AmountMismatchError",
        amounts: {
          rackbeatNet: "5.00",
          economicNet: "1.01",
          rackbeatGross: "6.25",
          economicGross: "1.26",
          currency: "DKK",
        },
      }),
    );
  });

  it("stops when e-conomic's VAT would make the gross differ from Rackbeat's total", () => {
    // Rackbeat rounded VAT its own way: 250.00 net, 62.51 VAT; e-conomic computes 62.50.
    expect(() => transfer({ invoice: { subtotal: "250.00", total: "312.51" } })).toThrow(
      expect.objectContaining({ name: "AmountMismatchError" }),
    );
  });

  it("drafts (never books) an invoice that cannot match when «Overfør alligevel som kladde» is on", () => {
    const p = transfer({
      settings: { transferMismatchAsDraft: true, bookAndSendFromEconomic: true },
      invoice: { subtotal: "250.01", total: "312.51" },
    });
    expect(p.amountsDiffer).toBe(true);
    expect(p.book).toBe(false);
    expect(stepTypes(p)).toEqual(["createDraft"]);
    expect(p.draft.lines[0]?.unitNetPrice).toBe(125);
    expect([p.expectedNetAmount, p.rackbeatNetAmount]).toEqual(["250.00", "250.01"]);
    expect([p.expectedGrossAmount, p.rackbeatGrossAmount]).toEqual(["312.50", "312.51"]);
  });

  it("keeps the quantity note whole when a long product name is cut", () => {
    const p = transfer({ invoice: oneLine("1.333", "12.345678", { productName: "Kaffe ".repeat(600) }) });
    const description = p.draft.lines[0]?.description ?? "";
    expect(Array.from(description).length).toBeLessThanOrEqual(2500);
    expect(description.endsWith("… (1,333 kg à 12,345678)")).toBe(true);
  });

  it("never splits a character when cutting a description", () => {
    const p = transfer({
      invoice: { lines: [{ ...line, productName: "☕️😀".repeat(2000) }], subtotal: "250" },
    });
    const description = p.draft.lines[0]?.description ?? "";
    expect(Array.from(description).length).toBeLessThanOrEqual(2500);
    expect(() => encodeURIComponent(description)).not.toThrow();
  });

  it("omits the unit from the note when Rackbeat has none", () => {
    const p = transfer({ invoice: oneLine("1.333", "12.345678", { unit: undefined }) });
    expect(p.draft.lines[0]?.description).toBe("Kaffebønner (1,333 à 12,345678)");
  });

  it("ignores a zero discount", () => {
    const p = transfer({ invoice: oneLine("2", "125", { discountPercentage: "0" }) });
    expect(p.draft.lines[0]).not.toHaveProperty("discountPercentage");
  });
});

// --- 8. preview texts for the settings page ---

describe("describePlan", () => {
  it.each([
    ["not_activated", "da", "Overføres ikke: integrationen er ikke aktiveret."],
    ["debtor_integration_off", "en", "Not transferred: “Enable debtor integration” is off."],
  ] as const)("explains a skip (%s, %s)", (reason, locale, line) => {
    expect(describePlan({ kind: "skip", reason }, locale)).toEqual([line]);
  });

  it("summarises a booked, e-mailed invoice with a collapsed line in Danish", () => {
    const p = transfer({
      settings: { bookAndSendFromEconomic: true, orderNumberToOtherReference: true },
      invoice: oneLine("1.333", "12.345678"),
      known: knownAll({ products: new Set() }),
    });
    expect(describePlan(p, "da")).toEqual([
      "Bogføres i e-conomic som faktura 1021.",
      "PDF fra e-conomic sendes pr. e-mail til bogholderi@kaffe.dk.",
      "Kundenummer på fakturaen: 1001.",
      "Øvrig reference: 5001.",
      "Eksternt ID: 5001.",
      "Opretter i e-conomic: vare KAF-1.",
      "KAF-1: 1 à 16,46 = 16,46 (faktisk 1,333 à 12,345678, står i teksten)",
      "Netto i alt: 16,46 DKK.",
      "Moms 4,12, brutto i alt: 20,58 DKK.",
    ]);
  });

  it("summarises an EAN draft with project ID and rounded quantities in English", () => {
    const p = transfer({
      settings: { useActualQuantity: true, customerNumberField: "projectId", transferMismatchAsDraft: true },
      customer: { ean: EAN },
      invoice: { ...oneLine("0.125", "99.9999"), subtotal: "13.00", project: { number: "42" } },
    });
    expect(describePlan(p, "en")).toEqual([
      "Created as a draft in e-conomic.",
      "Not sent from e-conomic.",
      "Customer number on the invoice: 42 (project 42).",
      "External ID: 5001.",
      "Creates in e-conomic: updates customer 1001, contact person Kaffe ApS.",
      "KAF-1: 0.13 at 96.15 = 12.50 (quantity rounded from 0.125 at 99.9999, shown in the text)",
      "Net total: 12.50 DKK.",
      "VAT 3.13, gross total: 15.63 DKK.",
      "Differs from Rackbeat's net 13.00 DKK; transferred as a draft only.",
    ]);
  });

  it("names both figures when the amounts cannot match", () => {
    const amounts = {
      rackbeatNet: "12.45",
      economicNet: "12.46",
      rackbeatGross: "15.56",
      economicGross: "15.58",
      currency: "DKK",
    };
    expect(describeAmountMismatch(amounts, "da")).toBe(
      "Beløbene kan ikke passe på øren (Rackbeat netto 12,45 DKK, brutto 15,56 DKK; e-conomic netto 12,46 DKK, brutto 15,58 DKK): overførslen stopper som Fejlet.",
    );
  });

  it("says a booked EAN invoice goes through NemHandel", () => {
    const p = transfer({ settings: { bookWhenBookedInRackbeat: true }, customer: { ean: EAN } });
    expect(describePlan(p, "da").slice(0, 2)).toEqual([
      "Bogføres i e-conomic som faktura 1021.",
      "Sendes som EAN-faktura via NemHandel.",
    ]);
  });
});

describe("settingHints", () => {
  it.each<[string, Partial<CustomerInvoiceSettings>, SettingHintCode[]]>([
    ["defaults", {}, ["nothing_transferred", "drafts_only", "quantity_in_text"]],
    [
      "never book EAN while nothing is booked",
      { debtorIntegration: true, neverBookEanInvoices: true },
      ["drafts_only", "never_book_ean_without_effect", "quantity_in_text"],
    ],
    [
      "book when booked in Rackbeat, never book EAN",
      { debtorIntegration: true, bookWhenBookedInRackbeat: true, neverBookEanInvoices: true },
      ["booked_not_sent", "never_book_ean_active", "quantity_in_text"],
    ],
    [
      "book and send, actual quantity, project ID",
      {
        debtorIntegration: true,
        bookAndSendFromEconomic: true,
        useActualQuantity: true,
        customerNumberField: "projectId",
      },
      ["booked_and_sent", "actual_quantity_rounds", "project_id_as_customer_number"],
    ],
  ])("%s", (_name, overrides, codes) => {
    expect(settingHintCodes({ ...defaultSettings, ...overrides })).toEqual(codes);
  });

  it("speaks Danish by default and English on request", () => {
    const s = { ...defaultSettings, debtorIntegration: true, neverBookEanInvoices: true };
    expect(settingHints(s)).toContain(
      "„Bogfør aldrig EAN fakturaer“ har ingen virkning, så længe intet bogføres.",
    );
    expect(settingHints(s, "en")).toContain(
      "Both booking options are off: invoices arrive in e-conomic as drafts.",
    );
  });
});
