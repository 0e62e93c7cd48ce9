import { randomBytes } from "node:crypto";
import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import {
  type AgreementRow,
  agreements,
  type DocumentRow,
  documents,
  faultPlans,
  type JsonObject,
  type JsonValue,
} from "./schema";
import seedChart from "./seed-chart.json";

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type Executor = Db | Tx;

export type DocKind =
  | "account"
  | "vatZone"
  | "paymentTerms"
  | "layout"
  | "unit"
  | "customerGroup"
  | "productGroup"
  | "project"
  | "customer"
  | "contact"
  | "product"
  | "draft"
  | "booked"
  | "vatAccount"
  /** A Products API write's Idempotency-Key with its first answer (key: the header value). */
  | "idempotency";

export interface NewDoc {
  key: string;
  sortNumber?: number | null;
  parentKey?: string | null;
  data: JsonObject;
}

const numbered = (n: number, data: JsonObject): NewDoc => ({ key: String(n), sortNumber: n, data });

function seedDocs(): Array<NewDoc & { kind: DocKind }> {
  const out: Array<NewDoc & { kind: DocKind }> = [];
  for (const a of seedChart.accounts as unknown as Array<Record<string, JsonValue>>) {
    const { vatCode, totalFromAccount, ...rest } = a;
    const data: JsonObject = { ...rest, balance: 0 };
    if (vatCode) data.vatAccount = { vatCode };
    if (totalFromAccount) data.totalFromAccount = { accountNumber: totalFromAccount };
    out.push({ kind: "account", ...numbered(a.accountNumber as number, data) });
  }
  for (const { vatRate: _rate, ...z } of seedChart.vatZones) {
    out.push({ kind: "vatZone", ...numbered(z.vatZoneNumber, z) });
  }
  for (const v of seedChart.vatAccounts) {
    out.push({ kind: "vatAccount", key: v.vatCode, data: v as unknown as JsonObject });
  }
  for (const t of seedChart.paymentTerms)
    out.push({ kind: "paymentTerms", ...numbered(t.paymentTermsNumber, t) });
  for (const l of seedChart.layouts) out.push({ kind: "layout", ...numbered(l.layoutNumber, l) });
  for (const u of seedChart.units) out.push({ kind: "unit", ...numbered(u.unitNumber, u) });
  for (const g of seedChart.customerGroups) {
    const data = {
      customerGroupNumber: g.customerGroupNumber,
      name: g.name,
      account: { accountNumber: g.accountNumber },
    };
    out.push({ kind: "customerGroup", ...numbered(g.customerGroupNumber, data) });
  }
  for (const g of seedChart.productGroups) {
    const salesAccounts = Object.entries(g.salesAccounts).map(([zone, account]) => ({
      vatZoneNumber: Number(zone),
      accountNumber: account,
    }));
    const data = { productGroupNumber: g.productGroupNumber, name: g.name, _salesAccounts: salesAccounts };
    out.push({ kind: "productGroup", ...numbered(g.productGroupNumber, data) });
  }
  for (const p of seedChart.projects) {
    out.push({ kind: "project", ...numbered(p.number, { ...p, isClosed: false, isBarred: false }) });
  }
  return out;
}

export interface AgreementInput {
  companyName?: string;
  /** Empty string: an agreement without a CVR number (to exercise EAN preconditions). */
  cvr?: string;
}

/** A new agreement seeded with the standard chart and reference data. */
export async function createAgreement(db: Db, input: AgreementInput = {}): Promise<AgreementRow> {
  return db.transaction(async (tx) => {
    const [agreement] = await tx
      .insert(agreements)
      .values({
        grantToken: randomBytes(24).toString("base64url"),
        companyName: input.companyName ?? seedChart.agreement.companyName,
        cvr: input.cvr === undefined ? seedChart.agreement.cvr : input.cvr || null,
      })
      .returning();
    const rows = seedDocs().map((d) => ({ ...d, agreementNumber: agreement!.agreementNumber }));
    await tx.insert(documents).values(rows);
    return agreement!;
  });
}

export const seedAgreement = seedChart.agreement;

export interface AuthenticatedAgreement {
  agreement: AgreementRow;
  faultRules: JsonValue[] | null;
}

/** The agreement of a grant token with its fault plan, in one query (this runs on every request). */
export async function findAgreementByToken(
  db: Db,
  token: string,
): Promise<AuthenticatedAgreement | undefined> {
  const [row] = await db
    .select({ agreement: agreements, faultRules: faultPlans.rules })
    .from(agreements)
    .leftJoin(faultPlans, eq(faultPlans.agreementNumber, agreements.agreementNumber))
    .where(eq(agreements.grantToken, token))
    .limit(1);
  return row;
}

export async function getDoc(db: Executor, agreementNumber: number, kind: DocKind, key: string) {
  const [row] = await db
    .select()
    .from(documents)
    .where(
      and(eq(documents.agreementNumber, agreementNumber), eq(documents.kind, kind), eq(documents.key, key)),
    )
    .limit(1);
  return row;
}

export interface DocRef {
  kind: DocKind;
  key: string;
}

/** Loads several referenced documents in one query (validation of an invoice's references). */
export async function getDocs(
  db: Executor,
  agreementNumber: number,
  refs: DocRef[],
): Promise<Map<string, DocumentRow>> {
  const map = new Map<string, DocumentRow>();
  if (refs.length === 0) return map;
  const kinds = [...new Set(refs.map((r) => r.kind))];
  const keys = [...new Set(refs.map((r) => r.key))];
  const rows = await db
    .select()
    .from(documents)
    .where(
      and(
        eq(documents.agreementNumber, agreementNumber),
        inArray(documents.kind, kinds),
        inArray(documents.key, keys),
      ),
    );
  for (const row of rows) map.set(refKey(row.kind as DocKind, row.key), row);
  return map;
}

export const refKey = (kind: DocKind, key: string) => `${kind}:${key}`;

export interface ListOptions {
  filter?: (data: SQL) => SQL;
  parentKey?: string;
  skip: number;
  size: number;
}

export interface ListResult {
  rows: DocumentRow[];
  results: number;
  resultsWithoutFilter: number;
}

export async function listDocs(
  db: Db,
  agreementNumber: number,
  kind: DocKind,
  options: ListOptions,
): Promise<ListResult> {
  const scope = and(
    eq(documents.agreementNumber, agreementNumber),
    eq(documents.kind, kind),
    options.parentKey === undefined ? undefined : eq(documents.parentKey, options.parentKey),
  )!;
  const dataColumn = sql`${documents.data}`;
  // Bracketed here too, whatever the filter compiles to: the scope must bind every condition.
  const condition = options.filter ? sql`(${options.filter(dataColumn)})` : sql`true`;
  const [counts] = rowsOf<{ total: number; matched: number }>(
    await db.execute(
      sql`select count(*)::int as total, count(*) filter (where ${condition})::int as matched
          from ${documents} where ${scope}`,
    ),
  );
  const rows = await db
    .select()
    .from(documents)
    .where(and(scope, condition))
    .orderBy(asc(documents.sortNumber), asc(documents.key))
    .limit(options.size)
    .offset(options.skip * options.size);
  return { rows, results: counts?.matched ?? 0, resultsWithoutFilter: counts?.total ?? 0 };
}

/** Bulk insert in chunks (seeding, tests); fails on a duplicate key. */
export async function insertDocs(
  db: Executor,
  agreementNumber: number,
  kind: DocKind,
  docs: NewDoc[],
): Promise<void> {
  for (let i = 0; i < docs.length; i += 500) {
    const chunk = docs.slice(i, i + 500).map((d) => ({ ...d, kind, agreementNumber }));
    await db.insert(documents).values(chunk);
  }
}

/** Inserts unless the key is taken; false when it was. */
export async function insertDocIfAbsent(db: Executor, agreementNumber: number, kind: DocKind, doc: NewDoc) {
  const rows = await db
    .insert(documents)
    .values({ ...doc, kind, agreementNumber })
    .onConflictDoNothing()
    .returning({ key: documents.key });
  return rows.length === 1;
}

export async function replaceDoc(
  db: Executor,
  agreementNumber: number,
  kind: DocKind,
  key: string,
  data: JsonObject,
) {
  const rows = await db
    .update(documents)
    .set({ data, updatedAt: new Date() })
    .where(
      and(eq(documents.agreementNumber, agreementNumber), eq(documents.kind, kind), eq(documents.key, key)),
    )
    .returning({ key: documents.key });
  return rows.length === 1;
}

export async function deleteDoc(db: Executor, agreementNumber: number, kind: DocKind, key: string) {
  const [row] = await db
    .delete(documents)
    .where(
      and(eq(documents.agreementNumber, agreementNumber), eq(documents.kind, kind), eq(documents.key, key)),
    )
    .returning();
  return row;
}

/** The next free number of a kind (customers, contacts): max + 1, read under the agreement's row lock. */
export async function nextFreeNumber(tx: Tx, agreementNumber: number, kind: DocKind): Promise<number> {
  await lockAgreement(tx, agreementNumber);
  const [row] = rowsOf<{ n: number }>(
    await tx.execute(
      sql`select coalesce(max(${documents.sortNumber}), 0)::bigint + 1 as n from ${documents}
          where ${documents.agreementNumber} = ${agreementNumber} and ${documents.kind} = ${kind}`,
    ),
  );
  return Number(row?.n ?? 1);
}

export async function lockAgreement(tx: Tx, agreementNumber: number): Promise<void> {
  await tx.execute(
    sql`select 1 from ${agreements} where ${agreements.agreementNumber} = ${agreementNumber} for update`,
  );
}

/** Draft numbers come from a counter on the agreement row, so concurrent creates never collide. */
export async function allocateDraftNumber(tx: Tx, agreementNumber: number): Promise<number> {
  const [row] = await tx
    .update(agreements)
    .set({ nextDraftNumber: sql`${agreements.nextDraftNumber} + 1` })
    .where(eq(agreements.agreementNumber, agreementNumber))
    .returning({ n: agreements.nextDraftNumber });
  return row!.n - 1;
}

export async function allocateBookedNumber(tx: Tx, agreementNumber: number): Promise<number> {
  const [row] = await tx
    .update(agreements)
    .set({ nextBookedNumber: sql`${agreements.nextBookedNumber} + 1` })
    .where(eq(agreements.agreementNumber, agreementNumber))
    .returning({ n: agreements.nextBookedNumber });
  return row!.n - 1;
}
