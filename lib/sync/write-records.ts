import "server-only";
import { type EconomicClient, type EconomicCustomer, EconomicError } from "@/lib/economic";
import type { RackbeatClient } from "@/lib/rackbeat";
import type { KnownEntry, LoadedKnown } from "@/lib/transfer/known-master-data";
import { mapCustomer } from "@/lib/transfer/map-invoice";
import {
  customerBody,
  desiredCustomerFields,
  productGroupSalesAccounts,
  truncateText,
} from "@/lib/transfer/plan";
import type { CustomerSnapshot, PlanSettings } from "@/lib/transfer/plan-types";
import { PlanInputError } from "@/lib/transfer/plan-types";
import { customerSnapshotOf } from "@/lib/transfer/prime-master-data";
import type { RecordRef } from "./record-key";

/**
 * Writes one master-data record, as Rackbeat has it now, to e-conomic (the debitor integration's
 * rules, as the guide states them):
 * - a customer group is created with "Konto til kundegrupper";
 * - a product group is created with the per-zone revenue accounts of "Standard til oprettelse af
 *   varegrupper" (through the Products API, `economic.productGroups.create`);
 * - an existing group's accounts are never rewritten: they apply "ved oprettelse" only; a group
 *   renamed in Rackbeat (its own sync, from customer_group.updated / product_group.updated) gets
 *   the new name in e-conomic, its accounts sent back as e-conomic has them;
 * - a customer is created, or updated when a synced field differs (group, VAT zone, payment terms,
 *   currency, address, CVR, EAN, e-mail), its group created first when e-conomic lacks it.
 * The known-records cache decides what needs no call at all; what was written is returned for it.
 */
export interface RecordWriteScope {
  economic: EconomicClient;
  rackbeat: RackbeatClient;
  settings: PlanSettings;
  known: LoadedKnown;
  /** The cache was primed: what it lacks is presumed new (created without a look-up first). */
  primed: boolean;
  defaultCustomerGroupNumber?: number;
  signal: AbortSignal;
  /** Asks the cache about a customer group not loaded up front (a customer's group). */
  isKnownCustomerGroup?: (groupNumber: number) => Promise<boolean>;
}

export interface RecordWriteResult {
  /** What e-conomic has now, for the cache. */
  known: KnownEntry[];
  /** e-conomic writes made (0: it already matched). */
  writes: number;
}

export async function writeRecord(scope: RecordWriteScope, record: RecordRef): Promise<RecordWriteResult> {
  switch (record.kind) {
    case "customer_group":
      return syncCustomerGroup(scope, record.number);
    case "product_group":
      return syncProductGroup(scope, record.number);
    case "customer":
      return writeCustomer(scope, record.number);
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof EconomicError && error.status === 404;
}

/** A create refused because the number is taken (the field error is on the number). */
function isTaken(error: unknown, numberFields: readonly string[]): boolean {
  return (
    error instanceof EconomicError &&
    (error.status === 409 ||
      (error.status === 400 && error.fieldErrors.some((e) => numberFields.includes(e.path))))
  );
}

/**
 * Creates unless it exists: looks first unless the cache was primed; a create refused as taken, or
 * left unanswered, is settled by looking. Answers whether it created.
 */
async function createUnlessExists(
  exists: () => Promise<unknown>,
  create: () => Promise<unknown>,
  presumeNew: boolean,
  numberFields: readonly string[],
): Promise<boolean> {
  if (!presumeNew) {
    try {
      await exists();
      return false;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  try {
    await create();
    return true;
  } catch (error) {
    if (!(isTaken(error, numberFields) || (error instanceof EconomicError && error.mayHaveCommitted))) {
      throw error;
    }
    try {
      await exists();
    } catch (lookup) {
      if (isNotFound(lookup)) throw error;
      throw lookup;
    }
    return false;
  }
}

function groupName(name: string, fallback: string): string {
  return truncateText(name.trim() || fallback, 50);
}

/**
 * A customer group's own sync: created when e-conomic lacks it; when it exists, its name follows
 * Rackbeat's (a rename), through `PUT /customer-groups/:n` with the group as e-conomic has it, so
 * its account stays what it was created with.
 */
async function syncCustomerGroup(scope: RecordWriteScope, number: number): Promise<RecordWriteResult> {
  const { economic, signal } = scope;
  const group = await scope.rackbeat.getCustomerGroup(number, { signal });
  const name = groupName(group.name, `Kundegruppe ${number}`);
  const ensured = await ensureCustomerGroup(scope, number, name);
  if (ensured.writes > 0) return ensured;
  const existing = await economic.customerGroups.get(number, { signal });
  if (existing.name === name || !existing.account) return ensured;
  const { self: _self, ...whole } = existing;
  await economic.customerGroups.update(number, { ...whole, account: existing.account, name }, { signal });
  return { known: ensured.known, writes: 1 };
}

/** A product group's own sync: created when e-conomic lacks it, else renamed as in Rackbeat. */
async function syncProductGroup(scope: RecordWriteScope, number: number): Promise<RecordWriteResult> {
  const group = await scope.rackbeat.getProductGroup(number, { signal: scope.signal });
  const name = groupName(group.name, `Varegruppe ${number}`);
  const ensured = await ensureProductGroup(scope, number, name);
  if (ensured.writes > 0) return ensured;
  const renamed = await scope.economic.productGroups.rename(number, name, { signal: scope.signal });
  return { known: ensured.known, writes: renamed ? 1 : 0 };
}

/** A customer's group, created with "Konto til kundegrupper" unless e-conomic has it. */
async function ensureCustomerGroup(
  scope: RecordWriteScope,
  number: number,
  knownName?: string,
): Promise<RecordWriteResult> {
  if (!scope.known.customerGroups.has(number) && (await scope.isKnownCustomerGroup?.(number))) {
    scope.known.customerGroups.add(number);
  }
  if (scope.known.customerGroups.has(number)) return { known: [], writes: 0 };
  const { economic, signal, settings } = scope;
  if (settings.customerGroupAccount === null) {
    throw new PlanInputError("customer_group_account_missing", "customerGroupAccount");
  }
  const account = settings.customerGroupAccount;
  const name =
    knownName ??
    groupName((await scope.rackbeat.getCustomerGroup(number, { signal })).name, `Kundegruppe ${number}`);
  const created = await createUnlessExists(
    () => economic.customerGroups.get(number, { signal }),
    () =>
      economic.customerGroups.create(
        { customerGroupNumber: number, name, account: { accountNumber: account } },
        { signal },
      ),
    scope.primed,
    ["customerGroupNumber"],
  );
  scope.known.customerGroups.add(number);
  return { known: [{ kind: "customerGroup", key: number }], writes: created ? 1 : 0 };
}

async function ensureProductGroup(
  scope: RecordWriteScope,
  number: number,
  name: string,
): Promise<RecordWriteResult> {
  if (scope.known.productGroups.has(number)) return { known: [], writes: 0 };
  const { economic, signal, settings } = scope;
  const salesAccounts = productGroupSalesAccounts(settings);
  // The Products API creates a group with its domestic revenue account: that one is a must.
  if (!salesAccounts.some((a) => a.vatZoneNumber === 1)) {
    throw new PlanInputError("product_group_accounts_missing", "productGroupAccounts");
  }
  const created = await createUnlessExists(
    () => economic.productGroups.get(number, { signal }),
    // The client adopts a group whose number the Products API reports as taken.
    () => economic.productGroups.create({ productGroupNumber: number, name, salesAccounts }, { signal }),
    scope.primed,
    ["id"],
  );
  scope.known.productGroups.add(number);
  return { known: [{ kind: "productGroup", key: number }], writes: created ? 1 : 0 };
}

function differs(existing: Partial<CustomerSnapshot>, desired: Partial<CustomerSnapshot>): boolean {
  return (Object.keys(desired) as (keyof CustomerSnapshot)[]).some((k) => existing[k] !== desired[k]);
}

async function writeCustomer(scope: RecordWriteScope, number: number): Promise<RecordWriteResult> {
  const { economic, signal, settings } = scope;
  const raw = await scope.rackbeat.getCustomer(number, { signal });
  const customer = mapCustomer(raw, { defaultCustomerGroupNumber: scope.defaultCustomerGroupNumber });
  const group = await ensureCustomerGroup(scope, customer.groupNumber);
  const desired = desiredCustomerFields(customer);
  const snapshot = scope.known.customers.get(number);
  if (snapshot && !differs(snapshot, desired)) return { known: group.known, writes: group.writes };

  const body = customerBody(number, desired, settings.defaultPaymentTermsNumber);
  let existing: EconomicCustomer | undefined;
  const created = await createUnlessExists(
    async () => {
      existing = await economic.customers.get(number, { signal });
    },
    () => economic.customers.create(body, { signal }),
    // A customer the cache knows exists; one it lacks after priming is presumed new.
    scope.primed && !snapshot,
    ["customerNumber"],
  );
  let writes = group.writes + (created ? 1 : 0);
  let stored: CustomerSnapshot = customerSnapshotOf(body);
  if (!created && existing) {
    // PUT replaces the whole customer: keep what e-conomic has, overwrite the synced fields (and
    // keep e-conomic's payment terms when Rackbeat names none).
    const {
      self: _self,
      contacts: _contacts,
      ...rest
    } = existing as EconomicCustomer & { contacts?: unknown };
    const merged = customerBody(
      number,
      { ...customerSnapshotOf(existing), ...desired },
      existing.paymentTerms.paymentTermsNumber,
    );
    if (differs(customerSnapshotOf(existing), customerSnapshotOf(merged))) {
      await economic.customers.update(number, { ...rest, ...merged }, { signal });
      writes += 1;
    }
    stored = customerSnapshotOf({ ...existing, ...merged });
  }
  scope.known.customers.set(number, stored);
  return { known: [...group.known, { kind: "customer", key: number, data: stored }], writes };
}
