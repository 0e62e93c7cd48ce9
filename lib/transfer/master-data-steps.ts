import { type EconomicCustomer, EconomicError } from "@/lib/economic";
import { isDone, markDone, type Run, stageCheckpoint } from "./attempt";
import { findOrCreate } from "./find-or-create";
import { type KnownEntry, stageKnownMasterData } from "./known-master-data";
import {
  type CustomerSnapshot,
  customerContactKey,
  type EconomicCustomerBody,
  type PlanStep,
} from "./plan-types";
import { customerSnapshotOf } from "./prime-master-data";

/**
 * The plan's master-data steps — customer group, customer, contact, EAN attention, product group,
 * product — each run against e-conomic before the draft (draft-step.ts) is created. Every step is
 * "find or create" (find-or-create.ts), so it repeats safely; once done it is marked in the
 * checkpoint, and what e-conomic now holds is written to the master-data cache (known-master-data.ts)
 * so the next invoice's plan can skip it.
 */

/** The plan steps this module runs: everything before the draft. */
export type MasterDataStep = Exclude<PlanStep, { type: "createDraft" | "bookDraft" | "emailPdf" }>;

/**
 * Runs one master-data step, then adds what it learnt for the cache and its checkpoint mark to the
 * attempt's unsaved writes.
 * `contacts` collects the contact numbers created in this attempt, for the draft and the attention.
 */
export async function executeMasterDataStep(
  run: Run,
  step: MasterDataStep,
  contacts: Map<string, number>,
): Promise<void> {
  const known: KnownEntry[] = [];
  switch (step.type) {
    case "createCustomerGroup":
      if (!(await ensureCustomerGroup(run, step, known))) return;
      break;
    case "createCustomer":
      await ensureCustomer(run, step.body, known, run.primed);
      break;
    case "updateCustomer":
      // Known to exist: the PUT replaces the whole customer, so read it first.
      await ensureCustomer(run, step.body, known, false);
      break;
    case "createCustomerContact":
      await ensureCustomerContact(run, step, contacts, known);
      break;
    case "setCustomerAttention":
      await ensureCustomerAttention(run, step, contacts, known);
      break;
    case "createProductGroup":
      if (!(await ensureProductGroup(run, step, known))) return;
      break;
    case "createProduct":
      await ensureProduct(run, step, known);
      break;
  }
  // Repeats safely (find or create): written with the draft's "sent" mark, or the completion.
  stageKnownMasterData(run.transfer, run.owner, known);
  stageCheckpoint(run);
}

// --- customer groups ---

/** False when an earlier attempt did it already (nothing to record then). */
async function ensureCustomerGroup(
  run: Run,
  step: Extract<PlanStep, { type: "createCustomerGroup" }>,
  known: KnownEntry[],
): Promise<boolean> {
  const key = `customerGroup:${step.customerGroupNumber}`;
  if (isDone(run, key)) return false;
  const signal = run.ctx.signal;
  await findOrCreate(
    () => run.economic.customerGroups.get(step.customerGroupNumber, { signal }),
    () =>
      run.economic.customerGroups.create(
        {
          customerGroupNumber: step.customerGroupNumber,
          name: step.name,
          account: { accountNumber: step.accountNumber },
        },
        { signal },
      ),
    { presumeNew: run.primed, numberFields: ["customerGroupNumber"] },
  );
  known.push({ kind: "customerGroup", key: step.customerGroupNumber });
  markDone(run, key);
  return true;
}

// --- customers ---

const snapshotOf = customerSnapshotOf;

/** Only the fields we sync count; fields we leave out are never compared (nor cleared). */
function differs(existing: CustomerSnapshot, desired: CustomerSnapshot): boolean {
  return (Object.keys(desired) as (keyof CustomerSnapshot)[]).some((key) => existing[key] !== desired[key]);
}

/** "Find by number; create if missing; update when the synced fields differ." */
async function ensureCustomer(
  run: Run,
  body: EconomicCustomerBody,
  known: KnownEntry[],
  presumeNew: boolean,
): Promise<void> {
  const key = `customer:${body.customerNumber}`;
  if (isDone(run, key)) return;
  const signal = run.ctx.signal;
  let existing: EconomicCustomer | undefined;
  let created = false;
  await findOrCreate(
    async () => {
      existing = await run.economic.customers.get(body.customerNumber, { signal });
    },
    async () => {
      await run.economic.customers.create(body, { signal });
      created = true;
    },
    { presumeNew, numberFields: ["customerNumber"] },
  );
  if (!existing || created) {
    // Created just now with exactly these fields.
  } else if (differs(snapshotOf(existing), snapshotOf(body))) {
    // PUT replaces the whole customer: keep what e-conomic has, overwrite the synced fields.
    const {
      self: _self,
      contacts: _contacts,
      ...rest
    } = existing as EconomicCustomer & { contacts?: unknown };
    await run.economic.customers.update(body.customerNumber, { ...rest, ...body }, { signal });
  }
  // After a PUT e-conomic holds its fields merged with ours (its attention contact included).
  const stored = existing && !created ? snapshotOf({ ...existing, ...body }) : snapshotOf(body);
  known.push({ kind: "customer", key: body.customerNumber, data: stored });
  markDone(run, key);
}

/**
 * Booking by EAN needs a contact person on the customer (`attention`): the invoice's EAN contact
 * becomes it, once, unless e-conomic has one already (which is kept).
 */
async function ensureCustomerAttention(
  run: Run,
  step: Extract<PlanStep, { type: "setCustomerAttention" }>,
  contacts: Map<string, number>,
  known: KnownEntry[],
): Promise<void> {
  const key = `customerAttention:${step.customerNumber}`;
  if (isDone(run, key)) return;
  const contactNumber =
    step.contactNumber ?? contacts.get(customerContactKey(step.customerNumber, step.contactName));
  if (contactNumber === undefined) throw new Error("setCustomerAttention before its contact exists");
  const signal = run.ctx.signal;
  const existing = await run.economic.customers.get(step.customerNumber, { signal });
  let attention = existing.attention?.customerContactNumber;
  if (attention === undefined) {
    const {
      self: _self,
      contacts: _contacts,
      ...rest
    } = existing as EconomicCustomer & { contacts?: unknown };
    await run.economic.customers.update(
      step.customerNumber,
      { ...rest, attention: { customerContactNumber: contactNumber } },
      { signal },
    );
    attention = contactNumber;
  }
  known.push({
    kind: "customer",
    key: step.customerNumber,
    data: { ...snapshotOf(existing), attentionContactNumber: attention },
  });
  markDone(run, key);
}

// --- contacts ---

/** A contact person of the customer by name (the EAN contact): found in the list, or created. */
async function ensureCustomerContact(
  run: Run,
  step: Extract<PlanStep, { type: "createCustomerContact" }>,
  contacts: Map<string, number>,
  known: KnownEntry[],
): Promise<void> {
  const signal = run.ctx.signal;
  const economic = run.economic;
  const contactKey = customerContactKey(step.customerNumber, step.name);
  const lookUp = async () =>
    (await economic.customerContacts.list(step.customerNumber, { signal })).find((c) => c.name === step.name);
  let contact = await lookUp();
  if (!contact) {
    try {
      contact = await economic.customerContacts.create(step.customerNumber, { name: step.name }, { signal });
    } catch (error) {
      // Unanswered: it may exist now; a second contact of the same name would be harmless but untidy.
      if (!(error instanceof EconomicError && error.mayHaveCommitted)) throw error;
      contact = await lookUp();
      if (!contact) throw error;
    }
  }
  contacts.set(contactKey, contact.customerContactNumber);
  known.push({
    kind: "customerContact",
    customerNumber: step.customerNumber,
    name: step.name,
    contactNumber: contact.customerContactNumber,
  });
  markDone(run, `customerContact:${contactKey}`);
}

// --- products ---

/**
 * False when an earlier attempt did it already (nothing to record then).
 *
 * A product group counts as there only with a revenue account for every VAT zone we plan: e-conomic
 * books a line by its group's account for the customer's zone, so a group whose zones are still
 * being written (by a concurrent transfer, or an attempt cut short after the group itself) would
 * give a customer abroad the domestic account's VAT. So the look-up reads the group's sales
 * accounts, and the create (which adopts a taken id and adds the zones it lacks) runs until they
 * are all there.
 */
async function ensureProductGroup(
  run: Run,
  step: Extract<PlanStep, { type: "createProductGroup" }>,
  known: KnownEntry[],
): Promise<boolean> {
  const key = `productGroup:${step.productGroupNumber}`;
  if (isDone(run, key)) return false;
  const signal = run.ctx.signal;
  const complete = async (): Promise<boolean> => {
    try {
      const accounts = await run.economic.productGroups.salesAccounts(step.productGroupNumber, { signal });
      return step.salesAccounts.every((a) =>
        accounts.some((x) => x.vatZone.vatZoneNumber === a.vatZoneNumber),
      );
    } catch (error) {
      if (error instanceof EconomicError && error.status === 404) return false;
      throw error;
    }
  };
  if (run.primed || !(await complete())) {
    try {
      await run.economic.productGroups.create(
        { productGroupNumber: step.productGroupNumber, name: step.name, salesAccounts: step.salesAccounts },
        { signal },
      );
    } catch (error) {
      // An answer lost after e-conomic may have committed: done only if every zone is there.
      if (!(error instanceof EconomicError && error.mayHaveCommitted && (await complete()))) throw error;
    }
  }
  known.push({ kind: "productGroup", key: step.productGroupNumber });
  markDone(run, key);
  return true;
}

/** The product, cached with its group and unit (recorded even when an earlier attempt made it). */
async function ensureProduct(
  run: Run,
  step: Extract<PlanStep, { type: "createProduct" }>,
  known: KnownEntry[],
): Promise<void> {
  const key = `product:${step.body.productNumber}`;
  const signal = run.ctx.signal;
  if (!isDone(run, key)) {
    await findOrCreate(
      () => run.economic.products.get(step.body.productNumber, { signal }),
      () => run.economic.products.create(step.body, { signal }),
      { presumeNew: run.primed, numberFields: ["productNumber"] },
    );
    markDone(run, key);
  }
  known.push({
    kind: "product",
    key: step.body.productNumber,
    data: {
      groupNumber: step.body.productGroup.productGroupNumber,
      ...(run.units.has(step.body.productNumber) ? { unit: run.units.get(step.body.productNumber) } : {}),
    },
  });
}
