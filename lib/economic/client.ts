import { createHash } from "node:crypto";
import type { z } from "zod";
import { EconomicError, fieldErrorsFromZod } from "./errors";
import { type CallOptions, type EconomicClientConfig, EconomicTransport, type HttpMethod } from "./http";
import { type Collection, collection } from "./paginate";
import {
  isProductsApiDuplicate,
  PRODUCTS_API_PRODUCT_GROUPS_PATH,
  productsApiIdempotencyKey,
  productsApiProductGroupSchema,
  productsApiZoneSchema,
  productsApiZonesPath,
  toProductsApiProductGroup,
} from "./product-groups-api";
import { encodeProductNumber } from "./product-number";
import {
  accountSchema,
  bookedInvoiceSchema,
  bookInvoiceInputSchema,
  customerContactInputSchema,
  customerContactSchema,
  customerGroupInputSchema,
  customerGroupSchema,
  customerInputSchema,
  customerSchema,
  draftInvoiceInputSchema,
  draftInvoiceSchema,
  type EconomicAccount,
  type EconomicBookedInvoice,
  type EconomicBookInvoiceInput,
  type EconomicCustomer,
  type EconomicCustomerContact,
  type EconomicCustomerContactInput,
  type EconomicCustomerGroup,
  type EconomicCustomerGroupInput,
  type EconomicCustomerInput,
  type EconomicDraftInvoice,
  type EconomicDraftInvoiceInput,
  type EconomicLayout,
  type EconomicPaymentTerms,
  type EconomicProduct,
  type EconomicProductGroup,
  type EconomicProductGroupInput,
  type EconomicProductGroupSalesAccount,
  type EconomicProductInput,
  type EconomicProject,
  type EconomicSelf,
  type EconomicUnit,
  type EconomicVatZone,
  layoutSchema,
  paymentTermsSchema,
  productGroupInputSchema,
  productGroupSalesAccountSchema,
  productGroupSchema,
  productInputSchema,
  productSchema,
  projectListSchema,
  selfSchema,
  unitSchema,
  vatZoneSchema,
} from "./schemas";

/** The e-conomic endpoints the product uses. One instance per agreement (grant token). */
export class EconomicClient {
  readonly accounts: Collection<EconomicAccount>;
  readonly vatZones: Collection<EconomicVatZone>;
  readonly paymentTerms: Collection<EconomicPaymentTerms> & {
    get(paymentTermsNumber: number, options?: CallOptions): Promise<EconomicPaymentTerms>;
  };
  readonly layouts: Collection<EconomicLayout>;
  readonly units: Collection<EconomicUnit>;
  readonly customers: Collection<EconomicCustomer> & {
    get(customerNumber: number, options?: CallOptions): Promise<EconomicCustomer>;
    create(input: EconomicCustomerInput, options?: CallOptions): Promise<EconomicCustomer>;
    /** PUT replaces the whole customer: send every field you want to keep. */
    update(
      customerNumber: number,
      input: EconomicCustomerInput,
      options?: CallOptions,
    ): Promise<EconomicCustomer>;
  };
  readonly customerContacts: {
    list(customerNumber: number, options?: CallOptions): Promise<EconomicCustomerContact[]>;
    create(
      customerNumber: number,
      input: EconomicCustomerContactInput,
      options?: CallOptions,
    ): Promise<EconomicCustomerContact>;
  };
  readonly customerGroups: Collection<EconomicCustomerGroup> & {
    get(customerGroupNumber: number, options?: CallOptions): Promise<EconomicCustomerGroup>;
    create(input: EconomicCustomerGroupInput, options?: CallOptions): Promise<EconomicCustomerGroup>;
    /**
     * `PUT /customer-groups/:n` with the whole group (PUT replaces the document, economic-api.md).
     * Source: Rackbeat/laravel-economic `src/Models/CustomerGroup.php` (puttable
     * `customerGroupNumber`, `name`) and `src/Utils/Model.php` `update()` (PUT `/{entity}/{number}`).
     */
    update(
      customerGroupNumber: number,
      input: EconomicCustomerGroupInput,
      options?: CallOptions,
    ): Promise<EconomicCustomerGroup>;
  };
  readonly productGroups: Collection<EconomicProductGroup> & {
    get(productGroupNumber: number, options?: CallOptions): Promise<EconomicProductGroup>;
    salesAccounts(
      productGroupNumber: number,
      options?: CallOptions,
    ): Promise<EconomicProductGroupSalesAccount[]>;
    /**
     * Through the Products API: the group with its domestic account, then one zone per other VAT
     * zone, each write with an Idempotency-Key of (agreement, group[, zone]). A group whose number
     * is taken is adopted; zones it lacks are added. Returns the group as the REST API reads it.
     */
    create(input: EconomicProductGroupInput, options?: CallOptions): Promise<EconomicProductGroup>;
    /**
     * Gives the group a new name through the Products API, its accounts as e-conomic has them: the
     * group is read (`GET productgroups/:n`, for `objectVersion` and `domesticAccountId`) and, when
     * its name differs, written back whole (`PUT productgroups`). Answers whether it wrote.
     * Source: Rackbeat/laravel-economic `src/Models/ProductGroup.php` (`id`, `name`,
     * `domesticAccountId`, `objectVersion`) and `src/Utils/Model.php` `getUpdateEndpoint()` (the
     * newer APIs are PUT at `{version}/{entity}`, the id in the body). Unconfirmed against e-conomic's
     * own documentation.
     */
    rename(productGroupNumber: number, name: string, options?: CallOptions): Promise<boolean>;
  };
  readonly products: Collection<EconomicProduct> & {
    get(productNumber: string, options?: CallOptions): Promise<EconomicProduct>;
    create(input: EconomicProductInput, options?: CallOptions): Promise<EconomicProduct>;
  };
  readonly projects: {
    list(options?: CallOptions): Promise<EconomicProject[]>;
  };
  readonly draftInvoices: Collection<EconomicDraftInvoice> & {
    get(draftInvoiceNumber: number, options?: CallOptions): Promise<EconomicDraftInvoice>;
    create(input: EconomicDraftInvoiceInput, options?: CallOptions): Promise<EconomicDraftInvoice>;
    update(
      draftInvoiceNumber: number,
      input: EconomicDraftInvoiceInput,
      options?: CallOptions,
    ): Promise<EconomicDraftInvoice>;
    delete(draftInvoiceNumber: number, options?: CallOptions): Promise<void>;
    pdf(draftInvoiceNumber: number, options?: CallOptions): Promise<Uint8Array>;
  };
  readonly bookedInvoices: Collection<EconomicBookedInvoice> & {
    get(bookedInvoiceNumber: number, options?: CallOptions): Promise<EconomicBookedInvoice>;
    book(input: EconomicBookInvoiceInput, options?: CallOptions): Promise<EconomicBookedInvoice>;
    pdf(bookedInvoiceNumber: number, options?: CallOptions): Promise<Uint8Array>;
  };

  private readonly transport: EconomicTransport;

  constructor(config: EconomicClientConfig) {
    const t = new EconomicTransport(config);
    this.transport = t;
    const agreementScope =
      config.agreementScope ?? createHash("sha256").update(config.agreementGrantToken).digest("hex");
    const json = <T>(schema: z.ZodType<T>) => ({ kind: "json" as const, schema });

    this.accounts = collection(t, "/accounts", accountSchema);
    this.vatZones = collection(t, "/vat-zones", vatZoneSchema);
    this.paymentTerms = {
      ...collection(t, "/payment-terms", paymentTermsSchema),
      get: (n, options) =>
        t.request(
          { method: "GET", path: `/payment-terms/${id(n)}`, response: json(paymentTermsSchema) },
          options,
        ),
    };
    this.layouts = collection(t, "/layouts", layoutSchema);
    this.units = collection(t, "/units", unitSchema);

    this.customers = {
      ...collection(t, "/customers", customerSchema),
      get: (n, options) =>
        t.request({ method: "GET", path: `/customers/${id(n)}`, response: json(customerSchema) }, options),
      create: async (input, options) =>
        t.request(
          {
            method: "POST",
            path: "/customers",
            body: validate(customerInputSchema, input, "POST", "/customers"),
            response: json(customerSchema),
          },
          options,
        ),
      update: async (n, input, options) => {
        const path = `/customers/${id(n)}`;
        return t.request(
          {
            method: "PUT",
            path,
            body: { ...validate(customerInputSchema, input, "PUT", path), customerNumber: n },
            response: json(customerSchema),
          },
          options,
        );
      },
    };

    const contactsCollection = (n: number) =>
      collection(t, `/customers/${id(n)}/contacts`, customerContactSchema);
    this.customerContacts = {
      list: async (n, options) => contactsCollection(n).all({}, options),
      create: async (n, input, options) => {
        const path = `/customers/${id(n)}/contacts`;
        return t.request(
          {
            method: "POST",
            path,
            body: validate(customerContactInputSchema, input, "POST", path),
            response: json(customerContactSchema),
          },
          options,
        );
      },
    };

    this.customerGroups = {
      ...collection(t, "/customer-groups", customerGroupSchema),
      get: async (n, options) =>
        t.request(
          { method: "GET", path: `/customer-groups/${id(n)}`, response: json(customerGroupSchema) },
          options,
        ),
      create: async (input, options) =>
        t.request(
          {
            method: "POST",
            path: "/customer-groups",
            body: validate(customerGroupInputSchema, input, "POST", "/customer-groups"),
            response: json(customerGroupSchema),
          },
          options,
        ),
      update: async (n, input, options) =>
        t.request(
          {
            method: "PUT",
            path: `/customer-groups/${id(n)}`,
            body: validate(customerGroupInputSchema, input, "PUT", `/customer-groups/${id(n)}`),
            response: json(customerGroupSchema),
          },
          options,
        ),
    };

    const salesAccountsCollection = (n: number) =>
      collection(t, `/product-groups/${id(n)}/sales-accounts`, productGroupSalesAccountSchema);
    const getProductGroup = async (n: number, options?: CallOptions) =>
      t.request(
        { method: "GET", path: `/product-groups/${id(n)}`, response: json(productGroupSchema) },
        options,
      );
    this.productGroups = {
      ...collection(t, "/product-groups", productGroupSchema),
      get: getProductGroup,
      salesAccounts: async (n, options) => salesAccountsCollection(n).all({}, options),
      create: async (input, options) => {
        const valid = validate(productGroupInputSchema, input, "POST", PRODUCTS_API_PRODUCT_GROUPS_PATH);
        const bodies = toProductsApiProductGroup(valid);
        const n = valid.productGroupNumber;
        // Keyed writes may be repeated safely, so even an unanswered one is retried.
        const keyed = { ...options, retryAmbiguous: true };
        const write = async (path: string, body: unknown, key: string, schema: z.ZodType) => {
          try {
            await t.request(
              {
                method: "POST",
                api: "products",
                path,
                body,
                headers: { "Idempotency-Key": key },
                response: json(schema),
              },
              keyed,
            );
          } catch (error) {
            // Taken already: by someone in e-conomic, or by an attempt of ours whose key expired.
            if (!(error instanceof EconomicError && isProductsApiDuplicate(error))) throw error;
          }
        };
        await write(
          PRODUCTS_API_PRODUCT_GROUPS_PATH,
          bodies.group,
          productsApiIdempotencyKey(agreementScope, "productgroup", n),
          productsApiProductGroupSchema,
        );
        const existing = await salesAccountsCollection(n).all({}, keyed);
        for (const zone of bodies.zones) {
          if (existing.some((a) => a.vatZone.vatZoneNumber === zone.id)) continue;
          await write(
            productsApiZonesPath(n),
            zone,
            productsApiIdempotencyKey(agreementScope, "productgroup", n, "zone", zone.id),
            productsApiZoneSchema,
          );
        }
        return getProductGroup(n, keyed);
      },
      rename: async (n, name, options) => {
        const group = await t.request(
          {
            method: "GET",
            api: "products",
            path: `${PRODUCTS_API_PRODUCT_GROUPS_PATH}/${id(n)}`,
            response: json(productsApiProductGroupSchema),
          },
          options,
        );
        if (group.name === name) return false;
        await t.request(
          {
            method: "PUT",
            api: "products",
            path: PRODUCTS_API_PRODUCT_GROUPS_PATH,
            body: { ...group, name },
            response: json(productsApiProductGroupSchema),
          },
          options,
        );
        return true;
      },
    };

    this.products = {
      ...collection(t, "/products", productSchema),
      get: async (productNumber, options) =>
        t.request(
          {
            method: "GET",
            path: `/products/${encodeProductNumber(productNumber)}`,
            response: json(productSchema),
          },
          options,
        ),
      create: async (input, options) =>
        t.request(
          {
            method: "POST",
            path: "/products",
            body: validate(productInputSchema, input, "POST", "/products"),
            response: json(productSchema),
          },
          options,
        ),
    };

    this.projects = {
      list: async (options) =>
        t.request(
          { method: "GET", api: "projects", path: "/Projects", response: json(projectListSchema) },
          options,
        ),
    };

    this.draftInvoices = {
      ...collection(t, "/invoices/drafts", draftInvoiceSchema),
      get: async (n, options) =>
        t.request(
          { method: "GET", path: `/invoices/drafts/${id(n)}`, response: json(draftInvoiceSchema) },
          options,
        ),
      create: async (input, options) =>
        t.request(
          {
            method: "POST",
            path: "/invoices/drafts",
            body: validate(draftInvoiceInputSchema, input, "POST", "/invoices/drafts"),
            response: json(draftInvoiceSchema),
          },
          options,
        ),
      update: async (n, input, options) => {
        const path = `/invoices/drafts/${id(n)}`;
        return t.request(
          {
            method: "PUT",
            path,
            body: validate(draftInvoiceInputSchema, input, "PUT", path),
            response: json(draftInvoiceSchema),
          },
          options,
        );
      },
      delete: async (n, options) => {
        try {
          await t.request(
            { method: "DELETE", path: `/invoices/drafts/${id(n)}`, response: { kind: "none" } },
            options,
          );
        } catch (error) {
          // A 404 on a retry means our earlier, unanswered attempt already deleted it.
          if (error instanceof EconomicError && error.status === 404 && error.attempts > 1) return;
          throw error;
        }
      },
      pdf: async (n, options) =>
        t.request(
          { method: "GET", path: `/invoices/drafts/${id(n)}/pdf`, response: { kind: "bytes" } },
          options,
        ),
    };

    this.bookedInvoices = {
      ...collection(t, "/invoices/booked", bookedInvoiceSchema),
      get: async (n, options) =>
        t.request(
          { method: "GET", path: `/invoices/booked/${id(n)}`, response: json(bookedInvoiceSchema) },
          options,
        ),
      book: async (input, options) => {
        const valid = validate(bookInvoiceInputSchema, input, "POST", "/invoices/booked");
        return t.request(
          {
            method: "POST",
            path: "/invoices/booked",
            body: {
              draftInvoice: { draftInvoiceNumber: valid.draftInvoiceNumber },
              bookWithNumber: valid.bookWithNumber,
              sendBy: valid.sendBy,
            },
            response: json(bookedInvoiceSchema),
          },
          options,
        );
      },
      pdf: async (n, options) =>
        t.request(
          { method: "GET", path: `/invoices/booked/${id(n)}/pdf`, response: { kind: "bytes" } },
          options,
        ),
    };
  }

  /** The agreement behind the grant token; the cheapest way to test a connection. */
  self(options?: CallOptions): Promise<EconomicSelf> {
    return this.transport.request(
      { method: "GET", path: "/self", response: { kind: "json", schema: selfSchema } },
      options,
    );
  }
}

export function createEconomicClient(config: EconomicClientConfig): EconomicClient {
  return new EconomicClient(config);
}

/** Numeric ids go into paths; refusing anything else keeps a bad value from reaching another URL. */
function id(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new TypeError(`Invalid e-conomic id: ${n}`);
  return String(n);
}

function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  method: HttpMethod,
  path: string,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new EconomicError({
    kind: "request",
    method,
    path,
    message: "Invalid e-conomic request",
    fieldErrors: fieldErrorsFromZod(parsed.error),
    mayHaveCommitted: false,
  });
}
